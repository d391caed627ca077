namespace Arvo.Tests.TestSupport;

/// <summary>The contracts of the "Reference orchestration fixture" (scenarios.md, shared fixtures).</summary>
internal static class ReferenceContracts
{
    public const string ArvoErrorSchema =
        """{"type":"object","properties":{"errorName":{"type":"string"},"errorMessage":{"type":"string"},"errorStack":{"type":["string","null"]}},"required":["errorName","errorMessage","errorStack"]}""";

    public const string ResultSchema = """{"type":"object","properties":{"result":{"type":"number"}},"required":["result"]}""";

    public const string CompleteSchema =
        """{"type":"object","properties":{"success":{"type":"boolean"},"error":{"type":"array","items":""" + ArvoErrorSchema + """},"final":{"type":"number"}},"required":["success","error","final"]}""";

    /// <summary><c>com.increment.number</c>: v0.0.1 adds, v0.0.2 multiplies and emits two success types.</summary>
    public static readonly ArvoContract Increment = ArvoContract.Create("#/test/handler/increment", "com.increment.number", c => c
        .Version("0.0.1", v => v
            .Accepts(Numbers("increment"))
            .Emits("evt.increment.number.success", ResultSchema))
        .Version("0.0.2", v => v
            .Accepts(Numbers("multiplier"))
            .Emits("evt.increment.number.success", ResultSchema)
            .Emits("evt.multiplier.number.success", ResultSchema)));

    /// <summary><c>com.decrement.number</c> (simple): v0.0.1 subtracts, v0.0.2 divides.</summary>
    public static readonly ArvoContract Decrement = ArvoContract.CreateSimple("#/test/handler/decrement", "decrement.number", c => c
        .Version("0.0.1", v => v.Accepts(Numbers("decrement")).Emits(ResultSchema))
        .Version("0.0.2", v => v.Accepts(Numbers("divider")).Emits(ResultSchema)));

    /// <summary><c>com.value.write</c> (simple): <c>{key, value}</c> → <c>{key, success}</c>.</summary>
    public static readonly ArvoContract ValueWrite = ArvoContract.CreateSimple("#/test/handler/value/write", "value.write", c => c
        .Version("0.0.1", v => v
            .Accepts("""{"type":"object","properties":{"key":{"type":"string"},"value":{"type":"number"}},"required":["key","value"]}""")
            .Emits("""{"type":"object","properties":{"key":{"type":"string"},"success":{"type":"boolean"}},"required":["key","success"]}""")));

    /// <summary><c>com.value.read</c> (simple): <c>{key}</c> → <c>{key, value}</c>.</summary>
    public static readonly ArvoContract ValueRead = ArvoContract.CreateSimple("#/test/handler/value/read", "value.read", c => c
        .Version("0.0.1", v => v
            .Accepts("""{"type":"object","properties":{"key":{"type":"string"}},"required":["key"]}""")
            .Emits("""{"type":"object","properties":{"key":{"type":"string"},"value":{"type":"number"}},"required":["key","value"]}""")));

    /// <summary><c>arvo.orc.inc</c> (<c>#/test/orchestrator/increment</c>): v0.0.1 trend <c>linear</c>, v0.0.2 <c>exponential</c>.</summary>
    public static readonly ArvoOrchestratorContract Inc = Modifier("#/test/orchestrator/increment", "inc");

    /// <summary><c>arvo.orc.dec</c> (<c>#/test/orchestrator/decrement</c>): v0.0.1 trend <c>linear</c>, v0.0.2 <c>exponential</c>.</summary>
    public static readonly ArvoOrchestratorContract Dec = Modifier("#/test/orchestrator/decrement", "dec");

    /// <summary><c>arvo.orc.number.modifier</c> (<c>#/test/orchestrator/number/modifier</c>), versions 0.0.1 and 0.0.2.</summary>
    public static readonly ArvoOrchestratorContract NumberModifier = ArvoContract.CreateOrchestrator("#/test/orchestrator/number/modifier", "number.modifier", c => c
        .Version("0.0.1", v => v.Init(NumberModifierInit).Complete(CompleteSchema))
        .Version("0.0.2", v => v.Init(NumberModifierInit).Complete(CompleteSchema)));

    private const string NumberModifierInit =
        """{"type":"object","properties":{"init":{"type":"number"},"modifier":{"type":"number"},"operation":{"type":"string","enum":["increment","decrement"]},"trend":{"type":"string","enum":["linear","exponential"]}},"required":["init","modifier","operation","trend"]}""";

    private static string Numbers(string second) =>
        $$$"""{"type":"object","properties":{"init":{"type":"number"},"{{{second}}}":{"type":"number"}},"required":["init","{{{second}}}"]}""";

    private static string ModifierInit(string trend) =>
        $$$"""{"type":"object","properties":{"key":{"type":"string"},"modifier":{"type":"number"},"trend":{"type":"string","enum":["{{{trend}}}"]}},"required":["key","modifier","trend"]}""";

    private static ArvoOrchestratorContract Modifier(string uri, string name) => ArvoContract.CreateOrchestrator(uri, name, c => c
        .Version("0.0.1", v => v.Init(ModifierInit("linear")).Complete(CompleteSchema))
        .Version("0.0.2", v => v.Init(ModifierInit("exponential")).Complete(CompleteSchema)));
}
