namespace Arvo;

/// <summary>The optional settings of an <see cref="ArvoResumable"/> (reference <c>createArvoResumable</c> options).</summary>
public sealed record ArvoResumableOptions
{
    /// <summary>The defaults.</summary>
    public static ArvoResumableOptions Default { get; } = new();

    /// <summary>The <c>executionunits</c> of emitted events unless a raw event or the output overrides them. Default 0.</summary>
    public double ExecutionUnits { get; init; }

    /// <summary>Whether every execution holds the subject's lock. Default (null): true iff there is more than one service contract.</summary>
    public bool? RequiresResourceLocking { get; init; }

    /// <summary>The domains of events that name none. Default: system errors and completion to the orchestration context, services local.</summary>
    public ArvoOrchestrationEmissionDomains DefaultEventEmissionDomains { get; init; } = ArvoOrchestrationEmissionDomains.Default;

    /// <summary>Span kind (default PRODUCER), attributes and name override (default <c>Resumable&lt;uri&gt;@&lt;type&gt;</c>).</summary>
    public ArvoOrchestrationSpanOptions SpanOptions { get; init; } = ArvoOrchestrationSpanOptions.Default;

    /// <summary>The clock, id generator and serializer options of emitted events; the serializer options also (de)serialize the context.</summary>
    public ArvoEventCreationOptions CreationOptions { get; init; } = ArvoEventCreationOptions.Default;

    /// <summary>How many consumed event ids each workflow's inbox remembers (redeliveries of them are answered from the inbox).</summary>
    /// <value>Default <see cref="MachineMemoryInbox.DefaultCapacity"/> (64); must be positive.</value>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value below 1.</exception>
    public int InboxCapacity
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = MachineMemoryInbox.DefaultCapacity;
}
