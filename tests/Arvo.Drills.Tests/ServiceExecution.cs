namespace Arvo.Drills.Tests;

/// <summary>
/// One execution of a service command by the hosted worker, as its handler appended it to the command log:
/// the workflow, the command's type and id, and the ids of the answer it returned.
/// </summary>
public sealed record ServiceExecution(string Subject, string Type, string CommandId, string AnswerIds)
{
    /// <summary>
    /// The complete lines of a command log. Each line is one write(2) of an execution that already had its answer; a
    /// SIGKILL can only lose the line of an execution whose answer never left the process (it is executed again after
    /// the restart, and then looks like a first execution), so this undercounts re-executions by at most the
    /// executions in progress at the kill.
    /// </summary>
    public static IReadOnlyList<ServiceExecution> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var text = File.ReadAllText(path);
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : [.. text[..end].Split('\n').Select(Parse)];
    }

    private static ServiceExecution Parse(string line)
    {
        var fields = line.Split('\t');
        fields.Should().HaveCount(4, $"a command log line has 4 tab-separated fields: '{line}'");
        return new ServiceExecution(fields[0], fields[1], fields[2], fields[3]);
    }
}
