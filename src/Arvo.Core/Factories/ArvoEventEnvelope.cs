using Arvo.Events;

namespace Arvo.Factories;

/// <summary>
/// The caller-supplied attributes of an event built by <see cref="ArvoEventFactory"/> or
/// <see cref="ArvoOrchestratorEventFactory"/>: the shared <see cref="ArvoEventAttributes"/> and an optional subject;
/// the factory derives the type, data, dataschema and content type from the contract.
/// </summary>
/// <remarks>
/// Values go through <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/>, so they are URI-encoded
/// as the reference does. When <see cref="Subject"/> is null the factory generates an orchestration subject whose
/// initiator is <see cref="ArvoEventAttributes.Source"/> (which must then be a reverse-DNS type), whose
/// <c>execution.domain</c> is <see cref="ArvoEventAttributes.Domain"/> and whose <c>meta.redirectto</c> is
/// <see cref="ArvoEventAttributes.RedirectTo"/>.
/// </remarks>
public sealed record ArvoEventEnvelope : ArvoEventAttributes
{
    /// <summary>The subject.</summary>
    /// <value>Default null: a new orchestration subject is generated (contracts.md 7.1).</value>
    public string? Subject { get; init; }
}
