using Arvo.Dispatch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Arvo.AspNetCore;

/// <summary>Maps the Arvo HTTP endpoints of a host registered with <c>services.AddArvo(...)</c>.</summary>
/// <remarks>
/// Both methods return the <see cref="RouteGroupBuilder"/> of their prefix, so conventions chain
/// (<c>.RequireAuthorization()</c>, <c>.WithTags(...)</c>, rate limiting). Every error is an RFC 9457 problem
/// (<c>application/problem+json</c>, written through the app's <see cref="IProblemDetailsService"/> when there is
/// one) with the extensions <c>errorType</c> (machine-readable kind) and, where known, <c>field</c>: a CloudEvent
/// attribute (<c>subject</c>, <c>to</c>, <c>specversion</c>, …), <c>data</c> or a path in it (<c>data.delta</c>), or
/// <c>$</c> for a body that is not JSON.
/// </remarks>
public static class ArvoEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST {prefix}</c>: one CloudEvent over HTTP, in structured mode (<c>Content-Type:
    /// application/cloudevents+json</c>, the body is Arvo's event JSON) or binary mode (<c>ce-*</c> headers, the body
    /// is <c>data</c>, <c>Content-Type</c> is <c>datacontenttype</c>), dispatched through <see cref="IArvoDispatcher"/>
    /// to the handler, orchestrator or resumable its <c>to</c> names.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The route, for example <c>/events</c>.</param>
    /// <param name="options">Settings; null means <see cref="ArvoHttpOptions.Default"/>.</param>
    /// <returns>The route group of <paramref name="prefix"/>.</returns>
    /// <remarks>
    /// <para>Answers: <c>202</c> (or <c>200</c> with the emitted events, see <see cref="ArvoHttpOptions.ResponseMode"/>);
    /// <c>400</c> for a body that is not JSON, a missing or invalid attribute, or a violation (<c>errorType</c>
    /// <c>Contract</c>, <c>Config</c>, or <c>Execution</c> for a subject that is not an orchestration subject), with the
    /// data's schema issues in <c>issues</c>; <c>404</c> when nothing here consumes the event's <c>to</c> (the problem
    /// lists <c>destinations</c>); <c>413</c> for a body above <see cref="ArvoHttpOptions.MaxRequestBodySize"/>;
    /// <c>415</c> for a batch; <c>422</c> for another execution violation; <c>503</c> with <c>Retry-After</c> when the
    /// workflow stayed locked through the host's retries; <c>500</c> for anything else (logged, no stack in the
    /// answer). Failures are answered, not dead-lettered.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> holds an invalid setting.</exception>
    /// <exception cref="InvalidOperationException"><c>services.AddArvo(...)</c> was not called.</exception>
    public static RouteGroupBuilder MapArvo(this IEndpointRouteBuilder endpoints, string prefix, ArvoHttpOptions? options = null)
    {
        var (group, settings, loggerFactory) = Prepare(endpoints, prefix, options);
        var endpoint = new EventEndpoint(settings, loggerFactory.CreateLogger<EventEndpoint>());
        group.MapPost(string.Empty, endpoint.HandleAsync);
        return group;
    }

    /// <summary>
    /// Maps the workflow endpoints: <c>GET {prefix}/{subject}</c> returns a workflow's stored status, state value,
    /// context and output (the subject URL-encoded or not), and <c>POST {prefix}/{orchestrator}</c> starts a workflow of
    /// the orchestrator or resumable whose source is <c>{orchestrator}</c>: the JSON body is the init event's data
    /// (<c>parentSubject$$</c> may be left out), its source <see cref="ArvoHttpOptions.InitiatorSource"/>, the contract
    /// version the latest one hosted unless <c>?version=</c> names another. It answers <c>202</c> with
    /// <c>Location: {prefix}/{subject}</c> and <c>{"subject": …, "eventId": …}</c>.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The route, for example <c>/workflows</c>.</param>
    /// <param name="options">Settings; null means <see cref="ArvoHttpOptions.Default"/>.</param>
    /// <returns>The route group of <paramref name="prefix"/>.</returns>
    /// <remarks>
    /// <c>GET</c> answers <c>400</c> (<c>errorType</c> <c>InvalidSubject</c>) for a subject that does not parse and
    /// <c>404</c> for an orchestrator not hosted here (<c>UnknownOrchestrator</c>, listing <c>orchestrators</c>) or a
    /// workflow that does not exist (<c>UnknownWorkflow</c>). <c>POST</c> answers like
    /// <see cref="MapArvo"/> for a rejected init, and <c>404</c> (<c>UnknownOrchestrator</c>) or <c>400</c>
    /// (<c>UnknownVersion</c>) when the orchestrator or version is not hosted.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> holds an invalid setting.</exception>
    /// <exception cref="InvalidOperationException"><c>services.AddArvo(...)</c> was not called.</exception>
    public static RouteGroupBuilder MapArvoWorkflows(this IEndpointRouteBuilder endpoints, string prefix, ArvoHttpOptions? options = null)
    {
        var (group, settings, loggerFactory) = Prepare(endpoints, prefix, options);
        var workflows = new WorkflowEndpoints(settings, prefix, loggerFactory.CreateLogger<WorkflowEndpoints>());
        group.MapGet("{**subject}", workflows.GetAsync);
        group.MapPost("{orchestrator}", workflows.StartAsync);
        return group;
    }

    private static (RouteGroupBuilder Group, ArvoHttpOptions Options, ILoggerFactory LoggerFactory) Prepare(
        IEndpointRouteBuilder endpoints, string prefix, ArvoHttpOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var settings = options ?? ArvoHttpOptions.Default;
        Validate(settings);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>() is { } isService && !isService.IsService(typeof(IArvoDispatcher)))
        {
            throw new InvalidOperationException(
                "The Arvo endpoints dispatch through IArvoDispatcher, which is not registered: call services.AddArvo(...) before building the app.");
        }

        var loggerFactory = endpoints.ServiceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        return (endpoints.MapGroup(prefix), settings, loggerFactory);
    }

    private static void Validate(ArvoHttpOptions options)
    {
        if (string.IsNullOrEmpty(options.InitiatorSource) || options.InitiatorSource.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException(
                $"ArvoHttpOptions.InitiatorSource must be a non-empty source without whitespace; it is '{options.InitiatorSource}'.", nameof(options));
        }

        if (options.MaxRequestBodySize < 1)
        {
            throw new ArgumentException($"ArvoHttpOptions.MaxRequestBodySize must be at least 1; it is {options.MaxRequestBodySize}.", nameof(options));
        }

        if (options.RetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentException($"ArvoHttpOptions.RetryAfter must not be negative; it is {options.RetryAfter}.", nameof(options));
        }
    }
}
