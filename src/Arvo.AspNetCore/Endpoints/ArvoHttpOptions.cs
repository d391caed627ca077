namespace Arvo.AspNetCore;

/// <summary>
/// Settings of the Arvo HTTP endpoints (<see cref="ArvoEndpointRouteBuilderExtensions.MapArvo"/> and
/// <see cref="ArvoEndpointRouteBuilderExtensions.MapArvoWorkflows"/>). Immutable; every default is documented on its
/// property.
/// </summary>
public sealed record ArvoHttpOptions
{
    /// <summary>The initiator a workflow started over HTTP gets when none is configured: <c>com.http.client</c>.</summary>
    public const string DefaultInitiatorSource = "com.http.client";

    /// <summary>The default request body limit: 1 MiB.</summary>
    public const long DefaultMaxRequestBodySize = 1024 * 1024;

    /// <summary>The defaults.</summary>
    public static ArvoHttpOptions Default { get; } = new();

    /// <summary>
    /// What a successful <c>POST</c> of a CloudEvent answers. A request can ask for the other answer with
    /// <c>Prefer: return=representation</c> (the emitted events) or <c>Prefer: return=minimal</c> (202); the response
    /// then carries <c>Preference-Applied</c>.
    /// </summary>
    /// <value>Default <see cref="ArvoHttpResponseMode.Accepted"/>.</value>
    public ArvoHttpResponseMode ResponseMode { get; init; } = ArvoHttpResponseMode.Accepted;

    /// <summary>
    /// The <c>source</c> of the init events built by <c>POST {prefix}/{orchestrator}</c>: the workflow's initiator, to
    /// which its completion is addressed.
    /// </summary>
    /// <value>Default <see cref="DefaultInitiatorSource"/>; must be non-empty and contain no whitespace.</value>
    public string InitiatorSource { get; init; } = DefaultInitiatorSource;

    /// <summary>The largest request body read, in bytes; a larger one is answered with <c>413</c>.</summary>
    /// <value>Default <see cref="DefaultMaxRequestBodySize"/> (1 MiB); at least 1.</value>
    public long MaxRequestBodySize { get; init; } = DefaultMaxRequestBodySize;

    /// <summary>
    /// The <c>Retry-After</c> of a <c>503</c> answer, sent when an execution still met lock contention or a transient
    /// store error after the host's retries (<c>ArvoHostingOptions.MaxRetryAttempts</c>).
    /// </summary>
    /// <value>Default 1 second; written in whole seconds, at least 1.</value>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);
}
