namespace Arvo.Contracts;

/// <summary>An event type of a contract version together with the schema of its <c>data</c>.</summary>
/// <param name="Type">The event type, e.g. <c>com.number.increment</c>.</param>
/// <param name="Schema">The schema of the event's data.</param>
public sealed record ArvoContractEventSchema(string Type, ArvoSchema Schema);
