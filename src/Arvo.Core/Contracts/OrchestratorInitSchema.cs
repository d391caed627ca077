using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Contracts;

namespace Arvo.Internal;

/// <summary>
/// The init schema of an orchestrator version: the base schema <c>{ parentSubject$$: string(min 1) | null }</c>
/// (required) merged with the version's init schema, like zod's <c>merge</c> (contracts.md 5.1).
/// </summary>
/// <remarks>
/// Properties: <c>parentSubject$$</c> first, then the init schema's own (an init definition of
/// <c>parentSubject$$</c> replaces the base one in place). <c>required</c>: in the same order, every property
/// the defining schema requires. Every other keyword (<c>additionalProperties</c>, <c>$schema</c>,
/// <c>definitions</c>, …) comes from the init schema, in its order.
/// </remarks>
internal static class OrchestratorInitSchema
{
    private const string ParentSubject = ArvoOrchestratorContract.ParentSubjectProperty;

    private const string ParentSubjectDescription =
        "Identifies the subject of the parent process or event in the ArvoEvent system.\n" +
        "Purpose:\n" +
        "1. Enables the orchestrator to return its final output to the initiating process or orchestrator.\n" +
        "2. Maintains the event chain and process hierarchy in a distributed system.\n" +
        "3. Facilitates proper event routing and traceability.\n" +
        "Usage:\n" +
        "- For non-root processes: Set to the subject of the parent process/orchestrator.\n" +
        "- For root processes/orchestrations: Must be set to null.\n" +
        "This field aligns with the ArvoEvent 'subject' field, which is a URI identifying the event's subject.\n" +
        "It plays a crucial role in distributed tracing, debugging, and maintaining system coherence.\n" +
        "Example:\n" +
        "- Parent process subject: \"process/parent-id-123\"\n" +
        "- Child process parentSubject$$: \"process/parent-id-123\"\n" +
        "Note: Ensure this value is a valid URI as per ArvoEvent specifications.";

    public static ArvoSchema Merge(ArvoSchema init, string uri, string version)
    {
        if (JsonNodes.From(init.Json) is not JsonObject source
            || (source["type"] is { } type && !(type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "object"))
            || (source["properties"] is { } declared && declared is not JsonObject))
        {
            throw new ArvoContractDefinitionException(
                $"In contract (uri={uri}, version={version}), the 'init' schema must be an object schema ({{\"type\":\"object\",\"properties\":{{...}}}}).",
                uri,
                version);
        }

        var initProperties = source["properties"] as JsonObject ?? [];
        var initRequired = (source["required"] as JsonArray ?? [])
            .Select(item => item?.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : null)
            .OfType<string>()
            .ToList();

        var properties = new JsonObject
        {
            [ParentSubject] = initProperties.TryGetPropertyValue(ParentSubject, out var own) ? own?.DeepClone() : BaseParentSubject(),
        };
        foreach (var (name, schema) in initProperties)
        {
            if (name != ParentSubject)
            {
                properties[name] = schema?.DeepClone();
            }
        }

        var required = new JsonArray();
        foreach (var (name, _) in properties)
        {
            var isRequired = name == ParentSubject && !initProperties.ContainsKey(ParentSubject) || initRequired.Contains(name);
            if (isRequired)
            {
                required.Add(name);
            }
        }

        foreach (var name in initRequired.Where(name => !properties.ContainsKey(name)).Distinct())
        {
            required.Add(name);
        }

        var merged = new JsonObject();
        if (!source.ContainsKey("type"))
        {
            merged["type"] = "object";
        }

        foreach (var (key, value) in source)
        {
            switch (key)
            {
                case "properties":
                    merged["properties"] = properties;
                    if (!source.ContainsKey("required"))
                    {
                        merged["required"] = required;
                    }

                    break;
                case "required":
                    if (!merged.ContainsKey("properties"))
                    {
                        merged["properties"] = properties;
                    }

                    merged["required"] = required;
                    break;
                default:
                    merged[key] = value?.DeepClone();
                    break;
            }
        }

        if (!merged.ContainsKey("properties"))
        {
            merged["properties"] = properties;
            merged["required"] = required;
        }

        return ArvoSchema.FromJson(merged.ToJsonString(), init.Options);
    }

    private static JsonObject BaseParentSubject() => new()
    {
        ["anyOf"] = new JsonArray(
            new JsonObject { ["type"] = "string", ["minLength"] = 1 },
            new JsonObject { ["type"] = "null" }),
        ["description"] = ParentSubjectDescription,
    };
}
