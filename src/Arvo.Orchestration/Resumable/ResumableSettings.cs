using Arvo.Events;
using Arvo.Handlers;

namespace Arvo.Resumable;

/// <summary>The checked options an <see cref="ArvoResumableBuilder{TContext}"/> hands to the resumable it builds.</summary>
internal sealed record ResumableSettings(
    double ExecutionUnits,
    bool RequiresResourceLocking,
    ArvoEventEmissionDomains Domains,
    ArvoSpanOptions SpanOptions,
    ArvoEventCreationOptions CreationOptions,
    int InboxCapacity,
    TimeSpan ExecutionTimeout,
    bool StrictAnswerValidation);
