namespace Arvo.Contracts;

/// <summary>
/// The system error event of a contract: type <c>sys.&lt;contract type&gt;.error</c>, data schema
/// <see cref="ArvoSchema.SystemError"/>, dataschema <c>&lt;uri&gt;/0.0.0</c> (the wildcard version). The same
/// for every version of the contract.
/// </summary>
/// <param name="Type">The event type, <c>sys.&lt;contract type&gt;.error</c>.</param>
/// <param name="Schema">The error data schema, <see cref="ArvoSchema.SystemError"/>.</param>
/// <param name="Dataschema">The dataschema of system error events, <c>&lt;uri&gt;/0.0.0</c>.</param>
public sealed record ArvoContractSystemError(string Type, ArvoSchema Schema, string Dataschema);
