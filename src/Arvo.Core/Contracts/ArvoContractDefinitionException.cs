namespace Arvo.Contracts;

/// <summary>A contract definition breaks a construction rule (contracts.md sections 1.1 and 5).</summary>
/// <remarks>
/// Thrown by <see cref="ArvoContract.Create"/>, <see cref="ArvoContract.CreateSimple"/> and
/// <see cref="ArvoContract.CreateOrchestrator"/>. The message is the reference's text where the reference
/// has one (e.g. <c>An ArvoContract (uri=#/v) must have at least one version</c>), except where that text
/// misstates the rule (the reference says an orchestrator name "must only contain alphanumeric characters", yet
/// dots are allowed; this message says what is allowed); it always names the uri, the offending value and what is
/// allowed, and the version and event type involved, if any.
/// </remarks>
public sealed class ArvoContractDefinitionException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message (no parameter name is appended).</param>
    /// <param name="uri">The contract uri.</param>
    /// <param name="version">The version involved, if any.</param>
    /// <param name="eventType">The event type involved, if any.</param>
    public ArvoContractDefinitionException(string message, string uri, string? version = null, string? eventType = null)
        : base(message)
    {
        Uri = uri;
        Version = version;
        EventType = eventType;
    }

    /// <summary>The uri of the contract being defined.</summary>
    public string Uri { get; }

    /// <summary>The version involved, or null.</summary>
    public string? Version { get; }

    /// <summary>The event type involved, or null.</summary>
    public string? EventType { get; }
}
