using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Arvo.Factories;
using Arvo.Machines;

namespace Arvo.Tests.TestSupport;

/// <summary>The parent machine's context: its own subject and the input.</summary>
public sealed record ParentContext
{
    [JsonPropertyName("subj")]
    public string Subject { get; init; } = string.Empty;

    public double V { get; init; }

    public double R { get; init; }
}

/// <summary>The child machine's context.</summary>
public sealed record ChildContext
{
    public double V { get; init; }
}

/// <summary>
/// The N-group fixture (scenarios.md N): parent <c>arvo.orc.parent</c> v1.0.0 (<c>#/parent</c>) calls child
/// <c>arvo.orc.child</c> v1.0.0 (<c>#/child</c>, init <c>{v}</c>, complete <c>{r}</c>) twice: once with
/// <c>parentSubject$$</c> = its own subject, once with null and domain <c>ext.dom</c>; the child completes at once with
/// <c>r = 2 v</c>.
/// </summary>
internal static class NestedFixture
{
    public const string Client = "com.client.app";

    private const string VSchema = """{"type":"object","properties":{"v":{"type":"number"}},"required":["v"]}""";
    private const string RSchema = """{"type":"object","properties":{"r":{"type":"number"}},"required":["r"]}""";

    public static readonly ArvoOrchestratorContract Parent = ArvoContract.CreateOrchestrator("#/parent", "parent", c => c
        .Version("1.0.0", v => v.Init(VSchema).Complete(RSchema)));

    public static readonly ArvoOrchestratorContract Child = ArvoContract.CreateOrchestrator("#/child", "child", c => c
        .Version("1.0.0", v => v.Init(VSchema).Complete(RSchema)));

    public static ArvoMachine<ParentContext> ParentMachine() =>
        ArvoMachine.Setup<ParentContext>(Parent.Version("1.0.0"))
            .Service("child", Child.Version("1.0.0"))
            .CreateMachine("parent", m => m
                .Context(input => new ParentContext { Subject = input.Subject, V = input.Data.GetProperty("v").GetDouble() })
                .Initial("calling")
                .State("calling", s => s
                    .Entry(a => a
                        .Emit("arvo.orc.child", ctx => new JsonObject { ["parentSubject$$"] = ctx.Subject, ["v"] = ctx.V })
                        .Emit(ctx => ArvoMachineEmit.Create("arvo.orc.child", new JsonObject { ["parentSubject$$"] = null, ["v"] = ctx.V }) with { Domain = ["ext.dom"] }))
                    .On("arvo.orc.child.done", "done", t => t.Assign((ctx, evt) => ctx with { R = evt.Data.GetProperty("r").GetDouble() })))
                .Final("done")
                .Output(ctx => new { r = ctx.R }));

    public static ArvoMachine<ChildContext> ChildMachine() =>
        ArvoMachine.Setup<ChildContext>(Child.Version("1.0.0"))
            .CreateMachine("child", m => m
                .Context(input => new ChildContext { V = input.Data.GetProperty("v").GetDouble() })
                .Initial("done")
                .Final("done")
                .Output(ctx => new { r = 2 * ctx.V }));

    /// <summary>The parent's init from <see cref="Client"/> in domain <c>root.dom</c>.</summary>
    public static ArvoEvent ParentInit(double v = 3) =>
        new ArvoOrchestratorEventFactory(Parent.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = Client, Domain = "root.dom" },
            new JsonObject { ["parentSubject$$"] = null, ["v"] = v });
}
