using Arvo.Contracts;
using Arvo.Schemas;

namespace Arvo.AspNetCore.Http;

/// <summary>
/// Which field of an event a violation is about, found again on the failure path only: the violation's message names
/// it for people, this gives it to programs. It repeats the resolution the handler, orchestrator or resumable did
/// (subject, contract by <c>type</c> and <c>dataschema</c>, then the data's schema) without running anything.
/// </summary>
internal static class ViolationDiagnosis
{
    /// <summary>The field (<c>subject</c>, <c>type</c>, <c>dataschema</c>, <c>data</c> or <c>data.&lt;path&gt;</c>) and the data's schema issues; a null field when none can be named.</summary>
    public static (string? Field, IReadOnlyList<ArvoSchemaIssue> Issues) Diagnose(IArvoEventHandler handler, ArvoEvent arvoEvent)
    {
        switch (handler)
        {
            case ArvoEventHandler eventHandler:
                return ForHandler(eventHandler.Contract, arvoEvent);
            case ArvoOrchestrator orchestrator:
                {
                    if (!ArvoOrchestrationSubject.TryParse(arvoEvent.Subject, out var subject))
                    {
                        return ("subject", []);
                    }

                    return orchestrator.Registry.Resolve(arvoEvent, subject) is { } machine
                        ? FromResult(machine.ValidateInput(arvoEvent))
                        : ("subject", []);
                }

            case ArvoResumable resumable:
                {
                    if (!ArvoOrchestrationSubject.TryParse(arvoEvent.Subject, out var subject))
                    {
                        return ("subject", []);
                    }

                    if (!resumable.HandlerVersions.Contains(subject.Orchestrator.Version))
                    {
                        return ("subject", []);
                    }

                    return FromResult(ArvoContractResolver.ValidateInput(
                        arvoEvent.Id, arvoEvent.Type, arvoEvent.DataSchema, arvoEvent.Data, resumable.Self, resumable.Services.Values));
                }

            default:
                return (null, []);
        }
    }

    /// <summary>The field of the first issue: <c>data</c> for the root (<c>$</c>), else <c>data</c> followed by the path (<c>data.delta</c>).</summary>
    public static string DataField(IReadOnlyList<ArvoSchemaIssue> issues) =>
        issues.Count == 0 || issues[0].Path.Length <= 1 ? "data" : "data" + issues[0].Path[1..];

    /// <summary>The issues as problem-detail values: <c>{path, code, expected, found}</c>.</summary>
    public static List<Dictionary<string, string>> IssueList(IReadOnlyList<ArvoSchemaIssue> issues) =>
        [.. issues.Select(issue => new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["path"] = issue.Path,
            ["code"] = issue.Code,
            ["expected"] = issue.Expected,
            ["found"] = issue.Found,
        })];

    private static (string? Field, IReadOnlyList<ArvoSchemaIssue> Issues) ForHandler(ArvoContract contract, ArvoEvent arvoEvent)
    {
        if (arvoEvent.Type != contract.Type)
        {
            return ("type", []);
        }

        var version = contract.Latest;
        if (ArvoDataschema.TryParse(arvoEvent.DataSchema, out var reference))
        {
            if ((reference.Uri.Length > 0 && reference.Uri != contract.Uri) || !contract.TryGetVersion(reference.Version.Text, out var declared))
            {
                return ("dataschema", []);
            }

            version = declared;
        }

        var validation = version.Accepts.Schema.Validate(arvoEvent.Data);
        return validation.IsValid ? (null, []) : (DataField(validation.Issues), validation.Issues);
    }

    private static (string? Field, IReadOnlyList<ArvoSchemaIssue> Issues) FromResult(ArvoInputValidationResult result) => result.Kind switch
    {
        ArvoInputValidationKind.ContractUnresolved => ("type", []),
        ArvoInputValidationKind.Invalid => ("dataschema", []),
        ArvoInputValidationKind.InvalidData when result.Validation is { } validation => (DataField(validation.Issues), validation.Issues),
        _ => (null, []),
    };
}
