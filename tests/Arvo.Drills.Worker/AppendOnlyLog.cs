using System.Text;

namespace Arvo.Drills.Worker;

/// <summary>
/// A file the worker appends one line at a time to, each line written through to the kernel (one <c>write(2)</c>
/// per line, no fsync): a SIGKILL loses no line that was appended, only one that was still being formatted. A reader
/// ignores a last line without its newline.
/// </summary>
internal sealed class AppendOnlyLog : IDisposable
{
    private readonly FileStream _stream;
    private readonly Lock _gate = new();

    public AppendOnlyLog(string path)
    {
        // bufferSize 0: every Write goes straight to the file; Flush has nothing left to keep.
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    }

    public void Append(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_gate)
        {
            _stream.Write(bytes);
            _stream.Flush();
        }
    }

    /// <summary>The complete lines of <paramref name="path"/> (none when it does not exist).</summary>
    public static IReadOnlyList<string> ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var text = File.ReadAllText(path);
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    public void Dispose() => _stream.Dispose();
}
