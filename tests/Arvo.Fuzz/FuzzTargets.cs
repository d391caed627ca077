using System.Text;
using System.Text.Json;
using Arvo.Events;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Arvo.Subjects;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace Arvo.Fuzz;

/// <summary>
/// One public entry point under fuzzing: it takes arbitrary bytes and says which exceptions it may document. Anything
/// else escaping is a finding.
/// </summary>
internal abstract class FuzzTarget
{
    public abstract string Name { get; }

    /// <summary>Feeds one input; exceptions propagate to the runner, which checks them with <see cref="IsDocumented"/>.</summary>
    public abstract void Run(byte[] input);

    /// <summary>Whether <paramref name="exception"/> is one the entry point documents for bad input.</summary>
    public abstract bool IsDocumented(Exception exception);
}

/// <summary><c>ArvoEventJson.Parse</c>: the UTF-8, string and <c>JsonElement</c> overloads, and <c>ToJson</c>/<c>Equals</c> of what parses.</summary>
internal sealed class EventJsonTarget : FuzzTarget
{
    public override string Name => "event-json";

    public override void Run(byte[] input)
    {
        var parsed = ArvoEventJson.Parse(input);

        // What parses must also serialize and compare (a value that only fails later is a finding too).
        var again = ArvoEventJson.Parse(parsed.ToJson());
        if (!again.Equals(parsed))
        {
            throw new FuzzFindingException("a parsed event does not round-trip through ToJson");
        }

        ArvoEventJson.Parse(Encoding.UTF8.GetString(input));
        using var document = JsonDocument.Parse(input);
        ArvoEventJson.Parse(document.RootElement);
    }

    // JsonException: the input is not JSON at all, which JsonDocument.Parse (our test code, not the entry point) reports.
    public override bool IsDocumented(Exception exception) => exception is ArvoEventValidationException or JsonException;
}

/// <summary><c>ArvoOrchestrationSubject.IsValid</c>/<c>TryParse</c> (never throw) and <c>Parse</c> (typed error).</summary>
internal sealed class SubjectTarget : FuzzTarget
{
    public override string Name => "subject";

    public override void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var valid = ArvoOrchestrationSubject.IsValid(text);
        var parsed = ArvoOrchestrationSubject.TryParse(text, out _);
        if (valid != parsed)
        {
            throw new FuzzFindingException("IsValid and TryParse disagree");
        }

        try
        {
            ArvoOrchestrationSubject.Parse(text);
        }
        catch (ArvoOrchestrationSubjectException) when (!parsed)
        {
            return;
        }

        if (!parsed)
        {
            throw new FuzzFindingException("Parse accepted what TryParse rejected");
        }
    }

    // Nothing: TryParse and IsValid must never throw, and Parse's typed error is handled above.
    public override bool IsDocumented(Exception exception) => false;
}

/// <summary>A structured-mode CloudEvent decoded by the SDK, then <c>ArvoEvent.FromCloudEvent</c>.</summary>
internal sealed class CloudEventTarget : FuzzTarget
{
    private static readonly JsonEventFormatter Formatter = new();

    public override string Name => "cloudevent";

    public override void Run(byte[] input)
    {
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = Formatter.DecodeStructuredModeMessage(input, new System.Net.Mime.ContentType("application/cloudevents+json"), ArvoCloudEventAttributes.AllAttributes);
        }
#pragma warning disable CA1031 // The SDK's own decoding is not under test: whatever it rejects never reaches Arvo.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        var arvoEvent = ArvoEvent.FromCloudEvent(cloudEvent);
        ArvoEvent.FromCloudEvent(arvoEvent.ToCloudEvent());
    }

    public override bool IsDocumented(Exception exception) => exception is ArvoEventValidationException;
}

/// <summary>Schema validation (compiled and NJsonSchema-fallback schemas) of arbitrary JSON data.</summary>
internal sealed class SchemaTarget(IReadOnlyList<ArvoSchema> schemas) : FuzzTarget
{
    private int _next;

    public override string Name => "schema";

    public override void Run(byte[] input)
    {
        JsonElement data;
        try
        {
            using var document = JsonDocument.Parse(input);
            data = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return; // not JSON: no schema entry point takes it
        }

        var schema = schemas[_next++ % schemas.Count];
        var valid = schema.Validate(data).IsValid;
        if (schema.TryParse(data, out _, out _) != valid)
        {
            throw new FuzzFindingException("Validate and TryParse disagree");
        }
    }

    public override bool IsDocumented(Exception exception) => false;
}

/// <summary>One execution of the counter orchestrator (in memory) and of a counter handler for each event that parses.</summary>
internal sealed class OrchestratorTarget : FuzzTarget
{
    private readonly ArvoOrchestrator _orchestrator = CounterOrchestrator.Create(new SimpleMachineMemory<MachineMemoryRecord>());
    private readonly ArvoEventHandler _handler = CounterHandlers.CreateIncrement();

    public override string Name => "orchestrator";

    public override void Run(byte[] input)
    {
        ArvoEvent evt;
        try
        {
            evt = ArvoEventJson.Parse(input);
        }
        catch (ArvoEventValidationException)
        {
            return;
        }

        // Synchronous on purpose: the in-memory store completes synchronously, and the runner measures each input.
        _orchestrator.ExecuteAsync(evt.WithTo(_orchestrator.Source)).AsTask().GetAwaiter().GetResult();
        _handler.ExecuteAsync(evt.WithType(_handler.Source).WithTo(_handler.Source)).AsTask().GetAwaiter().GetResult();
    }

    // Violations are the documented outcome of bad events; everything else becomes a system-error event.
    public override bool IsDocumented(Exception exception) => exception is ArvoViolation or ArvoEventValidationException;
}

/// <summary>A property the target itself checks failed (not an exception from the library).</summary>
internal sealed class FuzzFindingException(string message) : Exception(message);
