using System.Text.Json;

namespace Arvo.Benchmarks.Throughput;

/// <summary>The <c>throughput</c> verb: parses its arguments, runs <see cref="ThroughputRunner"/>, prints one JSON object.</summary>
public static class ThroughputCommand
{
    /// <summary>Runs the verb.</summary>
    /// <param name="args">The arguments after <c>throughput</c>.</param>
    /// <param name="output">Receives the JSON object (one line).</param>
    /// <param name="error">Receives usage and failure messages.</param>
    /// <returns>0 when every workflow completed; 1 when some did not; 2 for bad arguments; 3 when the database failed.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ThroughputOptions options;
        try
        {
            options = ThroughputOptions.Parse(args);
        }
        catch (FormatException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            await error.WriteLineAsync("usage: throughput [--workflows N] [--concurrency K] [--warmup N] [--warmup-ms N] [--latency-workflows N] [--scaling-rounds N] [--reference PATH|none] [--memory simple|sqlite|postgres] [--db PATH] [--sqlite-synchronous full|normal] [--connection CS]").ConfigureAwait(false);
            return 2;
        }

        ReferenceFigures? reference;
        try
        {
            reference = options.EffectiveReferencePath is { } referencePath ? ReferenceFigures.Load(referencePath) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or JsonException)
        {
            await error.WriteLineAsync($"throughput: the reference file cannot be read: {exception.Message}").ConfigureAwait(false);
            return 2;
        }

        ThroughputReport report;
        try
        {
            report = await ThroughputRunner.RunAsync(options).ConfigureAwait(false) with { Reference = reference };
        }
        catch (System.Data.Common.DbException exception)
        {
            // E.g. PostgreSQL unreachable: a clear message and a failing exit code, not a stack trace.
            await error.WriteLineAsync($"throughput: the {options.Memory.ToString().ToLowerInvariant()} database failed: {exception.Message}").ConfigureAwait(false);
            return 3;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            report.WriteJson(writer);
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray())).ConfigureAwait(false);
        if (report.Completed != report.Workflows)
        {
            await error.WriteLineAsync($"throughput: only {report.Completed} of {report.Workflows} workflows completed with the expected final value").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }
}
