namespace Arvo.Samples.Counter;

/// <summary>
/// The contracts of the counter workflows of <c>vectors/events.json</c> (the seed's counter system): the
/// orchestrator <c>arvo.orc.counter</c> (uri <c>#/test/machine</c>), the services <c>com.number.increment</c> and
/// <c>com.number.decrement</c> and the notification <c>notif.number.update</c>, all version 0.0.1.
/// </summary>
public static class CounterContracts
{
    /// <summary>The only version of every counter contract.</summary>
    public const string Version = "0.0.1";

    /// <summary>The init data: <c>{delta: number, type: "increment" | "decrement"}</c> (plus <c>parentSubject$$</c>).</summary>
    public const string InitSchema =
        """{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""";

    /// <summary>The completion data: <c>{final: number}</c>.</summary>
    public const string CompleteSchema = """{"type":"object","properties":{"final":{"type":"number"}},"required":["final"]}""";

    /// <summary>A service command: <c>{delta: number}</c>.</summary>
    public const string DeltaSchema = """{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""";

    /// <summary>A service answer: <c>{newValue: number}</c>.</summary>
    public const string NewValueSchema = """{"type":"object","properties":{"newValue":{"type":"number"}},"required":["newValue"]}""";

    /// <summary>The notification: <c>{delta: number, type: "increment" | "decrement"}</c>.</summary>
    public const string NotificationSchema =
        """{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""";

    /// <summary>The orchestrator's name; its type is <c>arvo.orc.counter</c>.</summary>
    public const string OrchestratorName = "counter";

    /// <summary>The orchestrator's init event type (and its source).</summary>
    public const string OrchestratorType = "arvo.orc.counter";

    /// <summary>The orchestrator's completion event type.</summary>
    public const string CompleteType = "arvo.orc.counter.done";

    /// <summary>The orchestrator's system-error event type.</summary>
    public const string OrchestratorErrorType = "sys.arvo.orc.counter.error";

    /// <summary>The increment service's command type.</summary>
    public const string IncrementType = "com.number.increment";

    /// <summary>The increment service's success type.</summary>
    public const string IncrementSuccessType = "evt.number.increment.success";

    /// <summary>The increment service's system-error type.</summary>
    public const string IncrementErrorType = "sys.com.number.increment.error";

    /// <summary>The decrement service's command type.</summary>
    public const string DecrementType = "com.number.decrement";

    /// <summary>The decrement service's success type.</summary>
    public const string DecrementSuccessType = "evt.number.decrement.success";

    /// <summary>The decrement service's system-error type.</summary>
    public const string DecrementErrorType = "sys.com.number.decrement.error";

    /// <summary>The notification type.</summary>
    public const string NotificationType = "notif.number.update";

    /// <summary><c>#/test/machine</c>, name <c>counter</c> (type <c>arvo.orc.counter</c>), version 0.0.1.</summary>
    public static ArvoOrchestratorContract Orchestrator { get; } = ArvoContract.CreateOrchestrator("#/test/machine", OrchestratorName, c => c
        .Description("Adds or subtracts delta through the increment or decrement service and notifies the update")
        .Version(Version, v => v.Init(InitSchema).Complete(CompleteSchema)));

    /// <summary><c>#/test/service/increment</c>, type <c>com.number.increment</c>, version 0.0.1.</summary>
    public static ArvoContract Increment { get; } = ArvoContract.Create("#/test/service/increment", IncrementType, c => c
        .Description("Returns newValue = 0 + delta")
        .Version(Version, v => v.Accepts(DeltaSchema).Emits(IncrementSuccessType, NewValueSchema)));

    /// <summary><c>#/test/service/decrement</c>, type <c>com.number.decrement</c>, version 0.0.1.</summary>
    public static ArvoContract Decrement { get; } = ArvoContract.Create("#/test/service/decrement", DecrementType, c => c
        .Description("Returns newValue = 0 - delta")
        .Version(Version, v => v.Accepts(DeltaSchema).Emits(DecrementSuccessType, NewValueSchema)));

    /// <summary><c>#/test/notification/decrement</c>, type <c>notif.number.update</c>, version 0.0.1, no emits.</summary>
    public static ArvoContract Notification { get; } = ArvoContract.Create("#/test/notification/decrement", NotificationType, c => c
        .Description("Tells listeners a counter changed")
        .Version(Version, v => v.Accepts(NotificationSchema)));
}
