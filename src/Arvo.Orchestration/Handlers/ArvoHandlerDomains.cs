namespace Arvo.Handlers;

/// <summary>The domains visible to a handler function (reference <c>domain: { self, event }</c>).</summary>
/// <param name="Self">The handler contract's domain.</param>
/// <param name="Event">The consumed event's domain.</param>
public readonly record struct ArvoHandlerDomains(string? Self, string? Event);
