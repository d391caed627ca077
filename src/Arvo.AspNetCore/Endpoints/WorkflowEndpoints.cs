using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.AspNetCore.Http;
using Arvo.Contracts;
using Arvo.Dispatch;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Subjects;
using Arvo.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arvo.AspNetCore;

/// <summary>
/// <c>GET {prefix}/{subject}</c> reads a workflow from its orchestrator's or resumable's memory;
/// <c>POST {prefix}/{orchestrator}</c> builds an init event from a JSON body and dispatches it.
/// </summary>
internal sealed class WorkflowEndpoints(ArvoHttpOptions options, string prefix, ILogger logger)
{
    private const string SubjectField = "subject";
    private const string VersionField = "version";

    private readonly string _prefix = "/" + prefix.Trim('/');
    private readonly ConcurrentDictionary<(string Source, string Version), ArvoOrchestratorEventFactory> _factories = new();

    public async Task GetAsync(HttpContext context)
    {
        IResult? result;
        try
        {
            result = await ReadAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception error)
        {
            ArvoHttpLog.RequestFailed(logger, error, context.Request.Method, context.Request.Path);
            result = ArvoProblems.Internal(null, error.GetType().Name).ToResult(context);
        }

        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    public async Task StartAsync(HttpContext context)
    {
        IResult? result;
        try
        {
            result = await StartWorkflowAsync(context).ConfigureAwait(false);
        }
        catch (ArvoHttpProblemException problem)
        {
            result = problem.Problem.ToResult(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception error)
        {
            ArvoHttpLog.RequestFailed(logger, error, context.Request.Method, context.Request.Path);
            result = ArvoProblems.Internal(null, error.GetType().Name).ToResult(context);
        }

        if (result is not null)
        {
            await result.ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    private async ValueTask<IResult> ReadAsync(HttpContext context)
    {
        // Subjects are base64 ('/', '+', '='): the catch-all takes them as they are or URL-encoded (routing leaves %2F encoded).
        var raw = context.GetRouteValue(SubjectField) as string ?? string.Empty;
        var subject = raw.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(raw) : raw;
        ArvoOrchestrationSubjectContent content;
        try
        {
            content = subject.Length > 0
                ? ArvoOrchestrationSubject.Parse(subject)
                : throw new ArvoHttpProblemException(InvalidSubject($"The request names no subject: expected GET {_prefix}/{{subject}}."));
        }
        catch (ArvoOrchestrationSubjectException invalid)
        {
            return InvalidSubject(invalid.Message).ToResult(context);
        }
        catch (ArvoHttpProblemException problem)
        {
            return problem.Problem.ToResult(context);
        }

        var registry = context.RequestServices.GetRequiredService<IArvoDispatcher>().Registry;
        var cancellationToken = context.RequestAborted;
        switch (Workflow(registry, content.Orchestrator.Name))
        {
            case ArvoOrchestrator orchestrator:
                return await orchestrator.Memory.ReadAsync(subject, cancellationToken).ConfigureAwait(false) is { } machineEntry
                    ? new JsonBytesResult(StatusCodes.Status200OK, WorkflowJson.Machine(subject, content, machineEntry), JsonBytesResult.JsonContentType)
                    : UnknownWorkflow(subject, content).ToResult(context);
            case ArvoResumable resumable:
                return await resumable.Memory.ReadAsync(subject, cancellationToken).ConfigureAwait(false) is { } resumableEntry
                    ? new JsonBytesResult(StatusCodes.Status200OK, WorkflowJson.Resumable(subject, content, resumableEntry, resumable.Self.CompleteEventType), JsonBytesResult.JsonContentType)
                    : UnknownWorkflow(subject, content).ToResult(context);
            default:
                return UnknownOrchestrator(registry, content.Orchestrator.Name, SubjectField).ToResult(context);
        }
    }

    private async ValueTask<IResult?> StartWorkflowAsync(HttpContext context)
    {
        var source = context.GetRouteValue("orchestrator") as string ?? string.Empty;
        var dispatcher = context.RequestServices.GetRequiredService<IArvoDispatcher>();
        var handler = Workflow(dispatcher.Registry, source);
        if (handler is null)
        {
            return UnknownOrchestrator(dispatcher.Registry, source, field: null).ToResult(context);
        }

        var contract = Contract(handler, context.Request.Query[VersionField].FirstOrDefault());
        var data = await ReadDataAsync(context).ConfigureAwait(false);
        var creationOptions = handler is ArvoOrchestrator orchestrator ? orchestrator.CreationOptions : ((ArvoResumable)handler).CreationOptions;
        var factory = _factories.GetOrAdd((source, contract.Version), _ => new ArvoOrchestratorEventFactory(contract, creationOptions));
        ArvoEvent init;
        try
        {
            init = factory.Init(new ArvoEventEnvelope { Source = options.InitiatorSource }, data);
        }
        catch (ContractViolation violation)
        {
            var issues = contract.Accepts.Schema.Validate(data).Issues;
            var problem = new ArvoHttpProblem(
                StatusCodes.Status400BadRequest, "Contract violation", violation.Message, ArvoProblems.ContractViolationType, ViolationDiagnosis.DataField(issues));
            return (issues.Count == 0 ? problem : problem.With("issues", ViolationDiagnosis.IssueList(issues))).ToResult(context);
        }
        catch (ArvoOrchestrationSubjectException invalid)
        {
            return new ArvoHttpProblem(
                    StatusCodes.Status400BadRequest, "Invalid orchestration subject", invalid.Message, "InvalidSubject", "data." + ArvoOrchestratorContract.ParentSubjectProperty)
                .ToResult(context);
        }
        catch (ArvoEventValidationException invalid)
        {
            return ArvoProblems.InvalidEvent(invalid).ToResult(context);
        }

        var failed = await EventEndpoint.DispatchAsync(context, dispatcher, init, mode: null, options, logger).ConfigureAwait(false);
        if (failed is not null || context.RequestAborted.IsCancellationRequested)
        {
            return failed;
        }

        context.Response.Headers.Location = $"{context.Request.PathBase}{_prefix}/{Uri.EscapeDataString(init.Subject)}";
        var output = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(output, JsonBytesResult.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("subject", init.Subject);
            writer.WriteString("eventId", init.Id);
            writer.WriteEndObject();
        }

        return new JsonBytesResult(StatusCodes.Status202Accepted, output.WrittenMemory, JsonBytesResult.JsonContentType);
    }

    /// <summary>The init data: the JSON body (an empty body is <c>{}</c>), with <c>parentSubject$$: null</c> added to an object without it.</summary>
    private async ValueTask<JsonElement> ReadDataAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBodySize, context.RequestAborted).ConfigureAwait(false);
        JsonNode? node;
        try
        {
            node = body.IsEmpty ? new JsonObject() : JsonNode.Parse(body.Span);
        }
        catch (JsonException malformed)
        {
            throw new ArvoHttpProblemException(new ArvoHttpProblem(
                    StatusCodes.Status400BadRequest, "Malformed JSON", $"The request body is not JSON: {malformed.Message}", "MalformedJson", ArvoEventAttributeNames.Data)
                .With("expected", "a JSON object: the init event's data"));
        }

        if (node is JsonObject data && !data.ContainsKey(ArvoOrchestratorContract.ParentSubjectProperty))
        {
            data[ArvoOrchestratorContract.ParentSubjectProperty] = null;
        }

        return JsonSerializer.SerializeToElement(node, ArvoJson.DefaultSerializerOptions);
    }

    private static IArvoEventHandler? Workflow(ArvoHandlerRegistry registry, string source) =>
        registry.TryGetHandler(source, out var handler) && handler is ArvoOrchestrator or ArvoResumable ? handler : null;

    /// <summary>The orchestrator contract version to start: <paramref name="requested"/>, or the latest one with a machine or handler here.</summary>
    private static VersionedArvoContract Contract(IArvoEventHandler handler, string? requested)
    {
        IReadOnlyList<VersionedArvoContract> hosted = handler is ArvoOrchestrator orchestrator
            ? [.. orchestrator.Registry.Machines.Select(machine => machine.Self)]
            : [.. ((ArvoResumable)handler).HandlerVersions.Select(version => ((ArvoResumable)handler).Self.Version(version))];
        var ordered = hosted.OrderBy(contract => ArvoSemanticVersion.Parse(contract.Version)).ToList();
        if (requested is null)
        {
            return ordered[^1];
        }

        return ordered.FirstOrDefault(contract => contract.Version == requested) ?? throw new ArvoHttpProblemException(new ArvoHttpProblem(
                StatusCodes.Status400BadRequest,
                "Unknown contract version",
                $"'{handler.Source}' has no version '{requested}' here; hosted versions: {string.Join(", ", ordered.Select(contract => contract.Version))}.",
                "UnknownVersion",
                VersionField)
            .With("versions", ordered.Select(contract => contract.Version).ToList()));
    }

    private static ArvoHttpProblem InvalidSubject(string detail) =>
        new(StatusCodes.Status400BadRequest, "Invalid orchestration subject", detail, "InvalidSubject", SubjectField);

    private static ArvoHttpProblem UnknownWorkflow(string subject, ArvoOrchestrationSubjectContent content) => new(
        StatusCodes.Status404NotFound,
        "Unknown workflow",
        $"No workflow of '{content.Orchestrator.Name}' is stored under subject '{subject}'.",
        "UnknownWorkflow",
        SubjectField);

    private static ArvoHttpProblem UnknownOrchestrator(ArvoHandlerRegistry registry, string name, string? field)
    {
        var hosted = registry.Handlers.Where(handler => handler is ArvoOrchestrator or ArvoResumable).Select(handler => handler.Source).ToList();
        return new ArvoHttpProblem(
                StatusCodes.Status404NotFound,
                "Unknown orchestrator",
                $"No orchestrator or resumable '{name}' is hosted here; hosted: {(hosted.Count == 0 ? "none" : string.Join(", ", hosted))}.",
                "UnknownOrchestrator",
                field)
            .With("orchestrators", hosted);
    }
}
