namespace Arvo.Tests.TestSupport;

/// <summary>The TestMachine contracts of scenarios.md (shared fixtures) and the seed counter machine.</summary>
internal static class CounterContracts
{
    public const string InitSchema =
        """{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""";

    public const string CompleteSchema = """{"type":"object","properties":{"final":{"type":"number"}},"required":["final"]}""";

    public const string DeltaSchema = """{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""";

    public const string NewValueSchema = """{"type":"object","properties":{"newValue":{"type":"number"}},"required":["newValue"]}""";

    public const string NotificationSchema =
        """{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""";

    /// <summary><c>#/test/machine</c>, name <c>test</c> (type <c>arvo.orc.test</c>), version 0.0.1.</summary>
    public static readonly ArvoOrchestratorContract Machine = ArvoContract.CreateOrchestrator("#/test/machine", "test", c => c
        .Version("0.0.1", v => v.Init(InitSchema).Complete(CompleteSchema)));

    /// <summary><c>#/test/service/increment</c>, type <c>com.number.increment</c>, versions 0.0.1 and 0.0.2.</summary>
    public static readonly ArvoContract Increment = ArvoContract.Create("#/test/service/increment", "com.number.increment", c => c
        .Version("0.0.1", v => v.Accepts(DeltaSchema).Emits("evt.number.increment.success", NewValueSchema))
        .Version("0.0.2", v => v.Accepts(DeltaSchema).Emits("evt.number.increment.success", NewValueSchema)));

    /// <summary><c>#/test/service/decrement</c>, type <c>com.number.decrement</c>.</summary>
    public static readonly ArvoContract Decrement = ArvoContract.Create("#/test/service/decrement", "com.number.decrement", c => c
        .Version("0.0.1", v => v.Accepts(DeltaSchema).Emits("evt.number.decrement.success", NewValueSchema)));

    /// <summary><c>#/test/notification/decrement</c>, type <c>notif.number.update</c>, accepts <c>{delta, type}</c>, no emits.</summary>
    public static readonly ArvoContract Notification = ArvoContract.Create("#/test/notification/decrement", "notif.number.update", c => c
        .Version("0.0.1", v => v.Accepts(NotificationSchema)));

    /// <summary>A service emitting two types (forces locking, MS-6).</summary>
    public static readonly ArvoContract TwoEmits = ArvoContract.Create("#/test/service/multi", "com.number.multi", c => c
        .Version("0.0.1", v => v
            .Accepts(DeltaSchema)
            .Emits("evt.number.multi.success", NewValueSchema)
            .Emits("evt.number.multiplier.success", NewValueSchema)));
}
