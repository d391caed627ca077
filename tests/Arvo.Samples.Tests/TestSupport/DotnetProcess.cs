using System.Diagnostics;
using System.Text;

namespace Arvo.Samples.Tests.TestSupport;

/// <summary>
/// A built sample (<c>Interop.dll</c>, <c>Counter.dll</c>; copied next to the tests by the project references) run as
/// its own <c>dotnet</c> process with redirected standard streams. Disposing kills it if it is still running.
/// </summary>
internal sealed class DotnetProcess : IDisposable
{
    /// <summary>Generous bound for one process to finish on a loaded 2-core machine; a hang fails the test instead of blocking it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private DotnetProcess(Process process) => _process = process;

    public StreamWriter Input => _process.StandardInput;

    public StreamReader Output => _process.StandardOutput;

    public StreamReader Error => _process.StandardError;

    public int ExitCode => _process.ExitCode;

    /// <summary>The path of a sample assembly in the test output folder (or an absolute path).</summary>
    public static string PathOf(string assemblyFileName)
    {
        var path = Path.IsPathRooted(assemblyFileName) ? assemblyFileName : Path.Combine(AppContext.BaseDirectory, assemblyFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{assemblyFileName}' is not next to the tests ({AppContext.BaseDirectory}).", path);
        }

        return path;
    }

    public static DotnetProcess Start(string assemblyFileName, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add(PathOf(assemblyFileName));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.AutoFlush = false;
        process.StandardInput.NewLine = "\n";
        return new DotnetProcess(process);
    }

    /// <summary>Waits for the process to exit, killing it and failing when it takes longer than <see cref="Timeout"/>.</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The process did not exit within {Timeout.TotalSeconds} s.");
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
