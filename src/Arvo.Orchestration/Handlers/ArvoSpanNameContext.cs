namespace Arvo.Handlers;

/// <summary>The input of a custom span-name function (reference <c>spanName({ selfContractUri, consumedEvent })</c>).</summary>
/// <param name="SelfContractUri">The handler contract's uri.</param>
/// <param name="ConsumedEvent">The event being processed.</param>
public readonly record struct ArvoSpanNameContext(string SelfContractUri, ArvoEvent ConsumedEvent);
