using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Arvo.Contracts;
using Arvo.Machines;

namespace Arvo.Tests.TestSupport;

/// <summary>The context of the <c>inc</c>/<c>dec</c> machines: <c>{key, value, modifier, trend, error}</c>.</summary>
public sealed record ValueContext
{
    public string Key { get; init; } = string.Empty;

    public double Value { get; init; }

    public double Modifier { get; init; }

    public string Trend { get; init; } = string.Empty;

    public IReadOnlyList<ArvoSystemErrorData> Error { get; init; } = [];
}

/// <summary>The context of the <c>number.modifier</c> machines.</summary>
public sealed record ModifierContext
{
    public double Init { get; init; }

    public double Modifier { get; init; }

    public string Operation { get; init; } = string.Empty;

    public string Trend { get; init; } = string.Empty;

    [JsonPropertyName("currentSubject$$")]
    public string CurrentSubject { get; init; } = string.Empty;

    public string Key { get; init; } = string.Empty;

    public IReadOnlyList<ArvoSystemErrorData> Errors { get; init; } = [];

    [JsonPropertyName("final_value")]
    public double FinalValue { get; init; }
}

/// <summary>The <c>inc</c>, <c>dec</c> and <c>number.modifier</c> machines of the reference orchestration fixture.</summary>
internal static class ReferenceMachines
{
    /// <summary><c>arvo.orc.inc</c> v0.0.1 (adds; its command state is a parallel state without regions, which forces locking) or v0.0.2 (multiplies).</summary>
    public static ArvoMachine<ValueContext> Inc(string version) => version == "0.0.1"
        ? ValueMachine(ReferenceContracts.Inc.Version("0.0.1"), ReferenceContracts.Increment.Version("0.0.1"), "increment", parallel: true)
        : ValueMachine(ReferenceContracts.Inc.Version("0.0.2"), ReferenceContracts.Increment.Version("0.0.2"), "multiplier", parallel: false);

    /// <summary><c>arvo.orc.dec</c> v0.0.1 (subtracts) or v0.0.2 (divides).</summary>
    public static ArvoMachine<ValueContext> Dec(string version) => version == "0.0.1"
        ? ValueMachine(ReferenceContracts.Dec.Version("0.0.1"), ReferenceContracts.Decrement.Version("0.0.1"), "decrement", parallel: false)
        : ValueMachine(ReferenceContracts.Dec.Version("0.0.2"), ReferenceContracts.Decrement.Version("0.0.2"), "divider", parallel: false);

    /// <summary>
    /// <c>arvo.orc.number.modifier</c>: v0.0.1 starts one child (<c>inc</c>/<c>dec</c> v0.0.1) and enqueues the undeclared
    /// <c>com.notif.test</c>; v0.0.2 starts a second child (<c>inc</c>/<c>dec</c> v0.0.2) with <c>parentSubject$$</c>
    /// null (increment) or <c>"test"</c> (decrement).
    /// </summary>
    public static ArvoMachine<ModifierContext> NumberModifier(string version)
    {
        var inc = ReferenceContracts.Inc.Version(version);
        var dec = ReferenceContracts.Dec.Version(version);
        return ArvoMachine.Setup<ModifierContext>(ReferenceContracts.NumberModifier.Version(version))
            .Service("valueWrite", ReferenceContracts.ValueWrite.Version("0.0.1"))
            .Service("inc", inc)
            .Service("dec", dec)
            .CreateMachine("machineV" + version.Replace(".", string.Empty, StringComparison.Ordinal), m => m
                .Context(input => input.GetData<ModifierContext>()! with
                {
                    CurrentSubject = input.Subject,
                    Key = input.Subject,
                    Errors = [],
                    FinalValue = 0,
                })
                .Initial("init_value")
                .State("init_value", s => s
                    .Entry(a => a.Emit("com.value.write", ctx => new { key = ctx.Key, value = ctx.Init }))
                    .On("evt.value.write.success", "error", t => t
                        .Guard((_, evt) => !evt.Data.GetProperty("success").GetBoolean())
                        .Assign(ctx => ctx with { Errors = [.. ctx.Errors, new ArvoSystemErrorData("WriteFailure", "Failed to write the initial value", null)] }))
                    .On("evt.value.write.success", "router")
                    .On("sys.com.value.write.error", "error", t => t.Assign((ctx, evt) => ctx with { Errors = [.. ctx.Errors, evt.GetSystemErrorData()!] })))
                .State("router", s => s
                    .Always("increment", t => t.Guard(ctx => ctx.Operation == "increment"))
                    .Always("decrement", t => t.Guard(ctx => ctx.Operation == "decrement")))
                .State("increment", s => ChildState(s, inc, version, secondParent: null))
                .State("decrement", s => ChildState(s, dec, version, secondParent: "test"))
                .Final("done")
                .Final("error")
                .Output(ctx => new { success = ctx.Errors.Count == 0, error = ctx.Errors, final = ctx.FinalValue }));
    }

    private static void ChildState(ArvoStateBuilder<ModifierContext> state, VersionedArvoContract child, string version, string? secondParent)
    {
        var type = child.Accepts.Type;
        state.Entry(a =>
        {
            a.Emit(type, ctx => ChildInit(ctx, ctx.CurrentSubject));
            if (version == "0.0.1")
            {
                a.EnqueueArvoEvent(_ => ArvoMachineEmit.Create("com.notif.test", new { }));
            }
            else
            {
                a.Emit(type, ctx => ChildInit(ctx, secondParent));
            }
        });
        state.On(type + ".done", "error", t => t
            .Guard((_, evt) => !evt.Data.GetProperty("success").GetBoolean())
            .Assign((ctx, evt) => ctx with { Errors = [.. ctx.Errors, .. evt.Data.GetProperty("error").Deserialize<ArvoSystemErrorData[]>(JsonSerializerOptions.Web)!] }));
        state.On(type + ".done", "done", t => t.Assign((ctx, evt) => ctx with { FinalValue = evt.Data.GetProperty("final").GetDouble() }));
        state.On("sys." + type + ".error", "error", t => t.Assign((ctx, evt) => ctx with { Errors = [.. ctx.Errors, evt.GetSystemErrorData()!] }));
    }

    private static JsonObject ChildInit(ModifierContext ctx, string? parentSubject) => new()
    {
        ["parentSubject$$"] = parentSubject,
        ["key"] = ctx.Key,
        ["modifier"] = ctx.Modifier,
        ["trend"] = ctx.Trend,
    };

    private static ArvoMachine<ValueContext> ValueMachine(VersionedArvoContract self, VersionedArvoContract number, string operand, bool parallel)
    {
        var command = number.Accepts.Type;
        var success = number.EmitList[0].Type;
        return ArvoMachine.Setup<ValueContext>(self)
            .Service("valueRead", ReferenceContracts.ValueRead.Version("0.0.1"))
            .Service("number", number)
            .Action("appendError", a => a.Assign((ctx, evt) => ctx with { Error = [.. ctx.Error, evt.GetSystemErrorData()!] }))
            .CreateMachine("machineV" + self.Version.Replace(".", string.Empty, StringComparison.Ordinal), m =>
            {
                m.Context(input => new ValueContext
                {
                    Key = input.Data.GetProperty("key").GetString()!,
                    Value = 0,
                    Modifier = input.Data.GetProperty("modifier").GetDouble(),
                    Trend = input.Data.GetProperty("trend").GetString()!,
                    Error = [],
                })
                    .Initial("fetch_value")
                    .State("fetch_value", s => s
                        .Entry(a => a.Emit("com.value.read", ctx => new { key = ctx.Key }))
                        .On("evt.value.read.success", "modify_value", t => t.Assign((ctx, evt) => ctx with { Value = evt.Data.GetProperty("value").GetDouble() }))
                        .On("sys.com.value.read.error", "error", t => t.Action("appendError")));
                if (parallel)
                {
                    m.Parallel("modify_value", p => ModifyState(p, command, success, operand));
                }
                else
                {
                    m.State("modify_value", s => ModifyState(s, command, success, operand));
                }

                m.Final("done")
                    .Final("error")
                    .Output(ctx => new { success = ctx.Error.Count == 0, error = ctx.Error, final = ctx.Value });
            });
    }

    private static void ModifyState<TSelf>(ArvoStateNodeBuilder<ValueContext, TSelf> state, string command, string success, string operand)
        where TSelf : ArvoStateNodeBuilder<ValueContext, TSelf>
    {
        state.Entry(a => a.Emit(command, ctx => new JsonObject { ["init"] = ctx.Value, [operand] = ctx.Modifier }))
            .On(success, "done", t => t.Assign((ctx, evt) => ctx with { Value = evt.Data.GetProperty("result").GetDouble() }))
            .On("sys." + command + ".error", "error", t => t.Action("appendError"));
    }
}
