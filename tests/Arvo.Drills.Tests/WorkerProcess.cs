using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Arvo.Drills.Tests;

/// <summary>One real worker process (tests/Arvo.Drills.Worker), started with <c>dotnet</c>, that a drill can kill with SIGKILL.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string WorkerAssembly { get; } = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "WorkerAssembly").Value!;

    /// <summary>Everything the worker printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(params string[] args)
    {
        File.Exists(WorkerAssembly).Should().BeTrue($"the worker is built before the drills ({WorkerAssembly})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(WorkerAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new WorkerProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the process to end; fails the test with its output if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The worker did not finish within {timeout}. Output:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>kill -9: the process gets no chance to clean up.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
