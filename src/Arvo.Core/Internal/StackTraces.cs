namespace Arvo.Internal;

/// <summary>Stack-trace text that is safe to send or store: file names without the directories they were compiled in.</summary>
/// <remarks>Shared source: Arvo.Orchestration links this file for its failure records.</remarks>
internal static class StackTraces
{
    /// <summary>What follows a frame's parameter list when the frame names its file: <c>at A.B(Int32 x) in /src/File.cs:line 42</c>.</summary>
    private const string InMarker = ") in ";
    private const string LineMarker = ":line ";

    /// <summary>
    /// Removes the directory of every source file a frame names: <c>at A.B() in /home/ci/src/Service.cs:line 42</c> becomes
    /// <c>at A.B() in Service.cs:line 42</c> (Unix and Windows paths); frames without file information, and all other
    /// text, are unchanged. Linear in the length of the text.
    /// </summary>
    /// <param name="stack">A stack trace as .NET formats it (<see cref="Exception.StackTrace"/>, <see cref="Exception.ToString"/>), or null.</param>
    /// <returns>The text without source directories, or null for null.</returns>
    public static string? WithoutSourceDirectories(string? stack)
    {
        if (stack is null || !stack.Contains(LineMarker, StringComparison.Ordinal))
        {
            return stack;
        }

        var result = new System.Text.StringBuilder(stack.Length);
        var rest = stack.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..(end + 1)];
            AppendFrame(result, line);
            rest = rest[line.Length..];
        }

        return result.ToString();
    }

    private static void AppendFrame(System.Text.StringBuilder result, ReadOnlySpan<char> line)
    {
        var lineMarker = line.LastIndexOf(LineMarker, StringComparison.Ordinal);
        // The first ") in " ends the parameter list (a directory may contain " in " itself); the last ":line " ends the path.
        var inMarker = lineMarker < 0 ? -1 : line[..lineMarker].IndexOf(InMarker, StringComparison.Ordinal);
        if (inMarker < 0)
        {
            result.Append(line);
            return;
        }

        var pathStart = inMarker + InMarker.Length;
        var path = line[pathStart..lineMarker];
        var separator = path.LastIndexOfAny('/', '\\');
        result.Append(line[..pathStart]).Append(path[(separator + 1)..]).Append(line[lineMarker..]);
    }
}
