using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Resumable;

namespace Arvo.Tests.TestSupport;

/// <summary>The decrement resumable's context (<c>{key, value, modifier, trend, error}</c>).</summary>
public sealed record DecContext(string Key, double Value, double Modifier, string Trend, IReadOnlyList<JsonElement> Error);

/// <summary>One modification of the increment resumable.</summary>
public sealed record Modification(string Key, double Value);

/// <summary>The increment resumable's context.</summary>
public sealed record IncContext(IReadOnlyList<Modification> Modifications);

/// <summary>The "Resumable fixtures" of scenarios.md: the decrement and the increment resumables.</summary>
internal static class ReferenceResumables
{
    /// <summary><c>arvo.orc.inc</c> with uri <c>#/resumables/inc</c>: init <c>{modifications}</c>, complete <c>{success, final, error}</c>.</summary>
    public static readonly ArvoOrchestratorContract IncContract = ArvoContract.CreateOrchestrator("#/resumables/inc", "inc", c => c
        .Version("0.0.1", v => v
            .Init("""{"type":"object","properties":{"modifications":{"type":"array","items":{"type":"object","properties":{"key":{"type":"string"},"value":{"type":"number"}},"required":["key","value"]}}},"required":["modifications"]}""")
            .Complete("""{"type":"object","properties":{"success":{"type":"boolean"},"final":{"type":"array","items":{"type":"object","properties":{"key":{"type":"string"},"value":{"type":"number"}},"required":["key","value"]}},"error":{"type":"array"}},"required":["success","final","error"]}""")));

    public static readonly string?[] FanOutDomains = [null, "external"];

    /// <summary>The decrement resumable (self <c>dec</c>; v0.0.2 throws).</summary>
    public static ArvoResumable Dec(IMachineMemory<ArvoResumableState> memory) => ArvoResumable.CreateBuilder<DecContext>(ReferenceContracts.Dec)
        .Memory(memory)
        .Service("valueRead", ReferenceContracts.ValueRead.Version("0.0.1"))
        .Service("valueWrite", ReferenceContracts.ValueWrite.Version("0.0.1"))
        .Service("decrement", ReferenceContracts.Decrement.Version("0.0.1"))
        .Version("0.0.1", DecStep)
        .Version("0.0.2", _ => throw new InvalidOperationException("Version 0.0.2 is not implemented for decrement resumable"))
        .Build();

    private static ArvoResumableResult<DecContext>? DecStep(ArvoResumableContext<DecContext> ctx)
    {
        if (ctx.Service is { Type: "sys.com.value.read.error" or "sys.com.decrement.number.error" } failed)
        {
            return new() { Output = new { success = false, error = new[] { failed.Data }, final = 0 } };
        }

        if (ctx.Input is { } input)
        {
            var key = input.Data.GetProperty("key").GetString()!;
            return new()
            {
                Context = new DecContext(key, 0, input.Data.GetProperty("modifier").GetDouble(), input.Data.GetProperty("trend").GetString()!, []),
                Services = [ArvoMachineEmit.Create("com.value.read", new { key })],
            };
        }

        var context = ctx.Context!;
        switch (ctx.Service?.Type)
        {
            case "evt.value.read.success":
                var value = ctx.Service.Data.GetProperty("value").GetDouble();
                return new()
                {
                    Context = context with { Value = value },
                    Services = [ArvoMachineEmit.Create("com.decrement.number", new { init = value, decrement = context.Modifier })],
                };
            case "evt.decrement.number.success":
                var result = ctx.Service.Data.GetProperty("result").GetDouble();
                return new()
                {
                    Context = context with { Value = result },
                    Services = [ArvoMachineEmit.Create("com.value.write", new { key = context.Key, value = result })],
                    Output = new JsonObject { ["success"] = true, ["error"] = new JsonArray(), ["final"] = result, ["__executionunits"] = 10 },
                };
            default:
                return null;
        }
    }

    /// <summary>The increment resumable (fan-out: one read, increment and write per modification, domains <c>[null, "external"]</c>).</summary>
    public static ArvoResumable Inc(IMachineMemory<ArvoResumableState> memory) => ArvoResumable.CreateBuilder<IncContext>(IncContract)
        .Memory(memory)
        .Service("valueRead", ReferenceContracts.ValueRead.Version("0.0.1"))
        .Service("valueWrite", ReferenceContracts.ValueWrite.Version("0.0.1"))
        .Service("increment", ReferenceContracts.Increment.Version("0.0.1"))
        .Version("0.0.1", IncStep)
        .Build();

    private static ArvoResumableResult<IncContext>? IncStep(ArvoResumableContext<IncContext> ctx)
    {
        if (ctx.Service is { Type: "sys.com.value.read.error" or "sys.com.increment.number.error" or "sys.com.value.write.error" } failed)
        {
            return new() { Output = new { success = false, error = new[] { failed.Data }, final = Array.Empty<object>() } };
        }

        if (ctx.Input is not null)
        {
            var modifications = ctx.GetData<IncContext>()!.Modifications;
            return new()
            {
                Context = new IncContext(modifications),
                Services = [.. modifications.Select(m => ArvoMachineEmit.Create("com.value.read", new { key = m.Key }) with { Domain = FanOutDomains })],
            };
        }

        var mods = ctx.Context!.Modifications;
        var reads = ctx.Collected("evt.value.read.success");
        if (ctx.Service?.Type == "evt.value.read.success" && reads.Count == mods.Count)
        {
            return new()
            {
                Services = [.. mods.Select((m, i) => ArvoMachineEmit.Create(
                    "com.increment.number", new { init = reads[i].Data.GetProperty("value").GetDouble(), increment = m.Value }) with { Domain = FanOutDomains })],
            };
        }

        var increments = ctx.Collected("evt.increment.number.success");
        if (ctx.Service?.Type == "evt.increment.number.success" && increments.Count == mods.Count)
        {
            var final = mods.Select((m, i) => new Modification(m.Key, increments[i].Data.GetProperty("result").GetDouble())).ToArray();
            return new()
            {
                Services = [.. final.Select(f => ArvoMachineEmit.Create("com.value.write", new { key = f.Key, value = f.Value }) with { Domain = FanOutDomains })],
                Output = new { success = true, final, error = Array.Empty<object>() },
            };
        }

        return null;
    }
}
