using System.Diagnostics;
using System.Globalization;
using Arvo.Samples.Distributed.Worker;

namespace Arvo.Samples.Distributed.Driver;

/// <summary>
/// A worker as a real child process: this same executable re-launched with the <c>worker</c> verb
/// (<see cref="Environment.ProcessPath"/>; under <c>dotnet Distributed.dll</c> the host is re-used with the assembly's
/// path). It can be stopped (standard input closed) or killed with SIGKILL.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _lines = new();
    private readonly bool _verbose;

    private WorkerProcess(string name, Process process, bool verbose)
    {
        Name = name;
        _process = process;
        _verbose = verbose;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, fromOutput: true);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, fromOutput: false);
        _process.Exited += (_, _) =>
        {
            _process.WaitForExit(); // the redirected output is read to its end
            _ready.TrySetException(new DistributedInfrastructureException(
                $"{Name} exited with code {ExitCodeText} before it was ready. Its output:{Environment.NewLine}{RecentOutput}"));
        };
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The worker's name (<c>worker1</c>, …), written with each command it records.</summary>
    public string Name { get; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the worker wrote (standard output and error).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }

    private string ExitCodeText => _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";

    /// <summary>Starts a worker of <paramref name="run"/>; the connection settings go in its environment, not its arguments.</summary>
    /// <param name="name">The worker's name.</param>
    /// <param name="run">The run.</param>
    /// <param name="options">The driver's options (connections, concurrency, verbosity).</param>
    /// <returns>The started process (not ready yet; see <see cref="WaitReadyAsync"/>).</returns>
    public static WorkerProcess Start(string name, DistributedRun run, DistributedOptions options)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process's executable is unknown.");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.Equals(Path.GetFileNameWithoutExtension(executable), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(WorkerProcess).Assembly.Location);
        }

        foreach (var argument in new[] { DistributedWorker.Verb, "--run", run.Id, "--name", name, "--concurrency", options.Concurrency.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[DistributedOptions.PostgreSqlVariable] = options.PostgreSql;
        start.Environment[DistributedOptions.RabbitMqVariable] = options.RabbitMq.OriginalString;
        return new WorkerProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start."), options.Verbose);
    }

    /// <summary>Waits until the worker printed <c>ready</c> (it consumes).</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>A task.</returns>
    /// <exception cref="DistributedInfrastructureException">The worker exited first, or was not ready in time.</exception>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            await _ready.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new DistributedInfrastructureException($"{Name} was not ready within {timeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{RecentOutput}");
        }
    }

    /// <summary>SIGKILL: the worker gets no chance to finish, acknowledge or clean up anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // SIGKILL on Unix
            _process.WaitForExit();
        }
    }

    /// <summary>Stops the worker cleanly (closes its standard input) and kills it if it has not exited within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait for the clean stop.</param>
    /// <returns>Whether it stopped by itself.</returns>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Gone already.
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnLine(string? line, bool fromOutput)
    {
        if (line is null)
        {
            return;
        }

        if (fromOutput && line == DistributedWorker.ReadyLine)
        {
            _ready.TrySetResult();
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }

        if (_verbose)
        {
            Console.Error.WriteLine($"[{Name}] {line}");
        }
    }
}
