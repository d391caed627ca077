using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Contracts;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Schemas;

/// <summary>The reference contracts of <c>contracts.json</c>, built once with the public API (schemas with the reference's runtime semantics), and the events of <c>events.json</c>.</summary>
internal sealed class UntrustedInputContracts
{
    private static readonly Lazy<UntrustedInputContracts> Instance = new(() => new UntrustedInputContracts());

    private UntrustedInputContracts()
    {
        foreach (var entry in ContractVectorFiles.Contracts.GetProperty("contracts").EnumerateObject())
        {
            ByName[entry.Name] = Build(entry.Value);
        }

        Machine = ByName["orchestrator"].Version("0.0.1");
        Services = [ByName["increment"].Version("0.0.1"), ByName["decrement"].Version("0.0.1"), ByName["notification"].Version("0.0.1")];
    }

    public Dictionary<string, ArvoContract> ByName { get; } = new(StringComparer.Ordinal);

    /// <summary>The counter machine's own contract version.</summary>
    public VersionedArvoContract Machine { get; }

    /// <summary>The counter machine's service contracts.</summary>
    public VersionedArvoContract[] Services { get; }

    public static UntrustedInputContracts Load() => Instance.Value;

    public VersionedArvoContract VersionFor(string dataschema)
    {
        ArvoDataschema.TryParse(dataschema, out var reference).Should().BeTrue();
        var contract = ByName.Values.Single(candidate => candidate.Uri == reference.Uri);
        return reference.Version.IsWildcard ? contract.Latest : contract.Version(reference.Version.Text);
    }

    /// <summary>Every event of the recorded workflows in events.json, labelled <c>&lt;group&gt;[&lt;index&gt;] &lt;type&gt;</c>.</summary>
    public static IEnumerable<(string Label, JsonElement Json)> WorkflowEvents()
    {
        var events = ContractVectorFiles.Events;
        var groups = new (string Name, JsonElement List)[]
        {
            ("counter_workflow", events.GetProperty("counter_workflow")),
            ("counter_workflow_decrement", events.GetProperty("counter_workflow_decrement")),
            ("handler_error_workflow", events.GetProperty("handler_error_workflow").GetProperty("events")),
            ("handler_error_standalone", events.GetProperty("handler_error_standalone").GetProperty("events")),
            ("orchestrator_error", events.GetProperty("orchestrator_error").GetProperty("events")),
        };
        foreach (var (name, list) in groups)
        {
            var index = 0;
            foreach (var entry in list.EnumerateArray())
            {
                var json = entry.GetProperty("json");
                yield return ($"{name}[{index++}] {json.GetProperty("type").GetString()}", json);
            }
        }
    }

    private static string? NullableString(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetString();

    private static ArvoContract Build(JsonElement vector)
    {
        var uri = vector.GetProperty("uri").GetString()!;
        var metadata = JsonNode.Parse(vector.GetProperty("metadata").GetRawText())!.AsObject();
        var versions = vector.GetProperty("versions").EnumerateArray().ToList();
        var domain = NullableString(vector.GetProperty("domain"));
        var description = NullableString(vector.GetProperty("description"));
        if (metadata["contractType"]?.GetValue<string>() == "ArvoOrchestratorContract")
        {
            return ArvoContract.CreateOrchestrator(uri, metadata["rootType"]!.GetValue<string>(), c =>
            {
                c.Domain(domain).Description(description).Metadata(metadata);
                foreach (var version in versions)
                {
                    c.Version(version.GetProperty("version").GetString()!, v => v
                        .Init(ArvoSchema.FromZodExport(version.GetProperty("accepts").GetProperty("schema")))
                        .Complete(ArvoSchema.FromZodExport(version.GetProperty("emits")[0].GetProperty("schema"))));
                }
            });
        }

        return ArvoContract.Create(uri, versions[0].GetProperty("accepts").GetProperty("type").GetString()!, c =>
        {
            c.Domain(domain).Description(description).Metadata(metadata);
            foreach (var version in versions)
            {
                c.Version(version.GetProperty("version").GetString()!, v =>
                {
                    v.Accepts(ArvoSchema.FromZodExport(version.GetProperty("accepts").GetProperty("schema")));
                    foreach (var emit in version.GetProperty("emits").EnumerateArray())
                    {
                        v.Emits(emit.GetProperty("type").GetString()!, ArvoSchema.FromZodExport(emit.GetProperty("schema")));
                    }
                });
            }
        });
    }
}
