namespace Arvo.Packages.Consumer.Counter;

/// <summary>The counter workflow's contracts (a copy of samples/Counter's, version 0.0.1).</summary>
internal static class CounterContracts
{
    public const string Version = "0.0.1";
    public const string CompleteType = "arvo.orc.counter.done";
    public const string IncrementType = "com.number.increment";
    public const string IncrementSuccessType = "evt.number.increment.success";
    public const string IncrementErrorType = "sys.com.number.increment.error";
    public const string DecrementType = "com.number.decrement";
    public const string DecrementSuccessType = "evt.number.decrement.success";
    public const string DecrementErrorType = "sys.com.number.decrement.error";
    public const string NotificationType = "notif.number.update";

    private const string DeltaSchema = """{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""";
    private const string NewValueSchema = """{"type":"object","properties":{"newValue":{"type":"number"}},"required":["newValue"]}""";
    private const string InitSchema =
        """{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""";

    public static ArvoOrchestratorContract Orchestrator { get; } = ArvoContract.CreateOrchestrator("#/test/machine", "counter", c => c
        .Version(Version, v => v
            .Init(InitSchema)
            .Complete("""{"type":"object","properties":{"final":{"type":"number"}},"required":["final"]}""")));

    public static ArvoContract Increment { get; } = ArvoContract.Create("#/test/service/increment", IncrementType, c => c
        .Version(Version, v => v.Accepts(DeltaSchema).Emits(IncrementSuccessType, NewValueSchema)));

    public static ArvoContract Decrement { get; } = ArvoContract.Create("#/test/service/decrement", DecrementType, c => c
        .Version(Version, v => v.Accepts(DeltaSchema).Emits(DecrementSuccessType, NewValueSchema)));

    public static ArvoContract Notification { get; } = ArvoContract.Create("#/test/notification/decrement", NotificationType, c => c
        .Version(Version, v => v.Accepts(InitSchema)));
}
