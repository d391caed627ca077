using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Arvo.Events;
using Arvo.Memory;
using Arvo.Samples.Counter;

namespace Arvo.Samples.Interop;

/// <summary>
/// The counter system behind a newline-delimited JSON protocol, so that it can run a workflow together with any
/// other Arvo implementation over pipes.
/// </summary>
/// <remarks>
/// <para><b>Input</b>: one CloudEvents structured-mode JSON object (an Arvo event) per line. Blank lines are ignored.
/// A line that is a JSON object with an <c>error</c> property and no <c>specversion</c> is a peer's diagnostic
/// (see below): it is ignored, so two tools chained in a loop never bounce errors back and forth.</para>
/// <para><b>Routing</b>: an event is taken by the part of the role whose source equals its <c>to</c>. Role
/// <see cref="InteropRole.Orchestrator"/> serves <c>arvo.orc.counter</c>; <see cref="InteropRole.Handlers"/> serves
/// <c>com.number.increment</c>, <c>com.number.decrement</c> and <c>notif.number.update</c>; both execute each event
/// once. <see cref="InteropRole.All"/> serves all four and keeps routing what they emit (null domain) until every
/// event has left the system. An event nobody in the role serves (e.g. a completion addressed to the initiator)
/// produces no output line.</para>
/// <para><b>Output</b>: every event the executions emit (all domains, in emission order), one JSON line each, in the
/// wire format of <see cref="ArvoEventJson"/>. A bad line (not JSON, not a valid event, or an event whose execution
/// throws a violation) produces exactly one <c>{"error":"line N: …"}</c> line, and the tool goes on with the next
/// line. Output is flushed after each input line.</para>
/// <para><b>State</b>: the orchestrator's machine memory lives as long as the tool.</para>
/// </remarks>
public sealed class InteropTool
{
    private readonly CounterRouter _router;
    private long _lineNumber;

    private InteropTool(InteropRole role, CounterRouter router)
    {
        Role = role;
        _router = router;
    }

    /// <summary>The role this tool plays.</summary>
    public InteropRole Role { get; }

    /// <summary>How many terminal events (completion or orchestrator system error) the tool has written.</summary>
    public int Completions { get; private set; }

    /// <summary>Creates a tool for <paramref name="role"/>.</summary>
    /// <param name="role">The part of the counter system to play.</param>
    /// <param name="memory">The orchestrator's memory; null means a new <see cref="SimpleMachineMemory{T}"/>.</param>
    public static InteropTool Create(InteropRole role, IMachineMemory<MachineMemoryRecord>? memory = null)
    {
        var handlers = new List<IArvoEventHandler>(4);
        if (role is InteropRole.Orchestrator or InteropRole.All)
        {
            handlers.Add(CounterOrchestrator.Create(memory ?? new SimpleMachineMemory<MachineMemoryRecord>()));
        }

        if (role is InteropRole.Handlers or InteropRole.All)
        {
            handlers.AddRange(CounterHandlers.CreateAll());
        }

        return new InteropTool(role, new CounterRouter(handlers));
    }

    /// <summary>
    /// Processes one input line and returns the output lines it produces (none for a blank line, a peer's error
    /// line or an event the role does not serve; one <c>{"error":…}</c> line for a bad line).
    /// </summary>
    /// <param name="line">One line of input, without its newline.</param>
    /// <param name="cancellationToken">Cancels the execution.</param>
    /// <returns>The output lines, without newlines.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<IReadOnlyList<string>> ProcessLineAsync(string line, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(line);
        var number = ++_lineNumber;
        if (string.IsNullOrWhiteSpace(line))
        {
            return [];
        }

        ArvoEvent arvoEvent;
        try
        {
            arvoEvent = ArvoEventJson.Parse(line);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return IsPeerError(line) ? [] : [ErrorLine(number, "invalid event: " + exception.Message)];
        }

        var output = new List<string>();
        try
        {
            if (Role == InteropRole.All)
            {
                await _router.RunAsync(arvoEvent, evt => output.Add(Write(evt)), cancellationToken).ConfigureAwait(false);
            }
            else if (await _router.ExecuteAsync(arvoEvent, cancellationToken).ConfigureAwait(false) is { } result)
            {
                foreach (var evt in result.All)
                {
                    output.Add(Write(evt));
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var name = exception is ArvoViolation violation ? violation.Name : exception.GetType().Name;
            output.Add(ErrorLine(number, $"{arvoEvent.Type} (id={arvoEvent.Id}) to {arvoEvent.To}: {name}: {exception.Message}"));
        }

        return output;
    }

    /// <summary>
    /// Reads lines from <paramref name="input"/> until it ends (or until <paramref name="untilCompletions"/>
    /// terminal events have been written), writing the output lines to <paramref name="output"/> and flushing after
    /// each input line.
    /// </summary>
    /// <param name="input">Newline-delimited events.</param>
    /// <param name="output">Where output lines go.</param>
    /// <param name="untilCompletions">Stop after this many completion or orchestrator system-error events were written; null reads to the end.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The number of input lines read.</returns>
    public async ValueTask<long> RunAsync(TextReader input, TextWriter output, int? untilCompletions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        long lines = 0;
        while (untilCompletions is not { } limit || Completions < limit)
        {
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                break;
            }

            lines++;
            foreach (var outputLine in await ProcessLineAsync(line, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync(outputLine.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return lines;
    }

    private string Write(ArvoEvent arvoEvent)
    {
        if (CounterWorkflows.IsTerminal(arvoEvent))
        {
            Completions++;
        }

        return ArvoEventJson.Serialize(arvoEvent);
    }

    /// <summary>Builds the error line <c>{"error":"line N: message"}</c>.</summary>
    private static string ErrorLine(long lineNumber, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("error", $"line {lineNumber}: {message}");
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool IsPeerError(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("error", out _)
                && !root.TryGetProperty("specversion", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
