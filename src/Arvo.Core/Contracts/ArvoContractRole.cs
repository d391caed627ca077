namespace Arvo.Contracts;

/// <summary>Which of a machine's contracts an incoming event was resolved to (contracts.md 6.2).</summary>
public enum ArvoContractRole
{
    /// <summary><c>self</c>: the machine's own contract (the event is its init event).</summary>
    Self,

    /// <summary><c>service</c>: a service contract (the event is one of its emitted events or its system error).</summary>
    Service,
}
