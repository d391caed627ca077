using Arvo.Factories;
using Arvo.Handlers;

namespace Arvo.Tests;

/// <summary>The HelloContract / HelloEvent / HelloHandler fixtures of scenarios.md.</summary>
internal static class HelloFixture
{
    public const string AcceptsSchema = """{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"number"}},"required":["name","age"]}""";
    public const string SuccessSchema = """{"type":"object","properties":{"result":{"type":"string"}},"required":["result"]}""";
    public const string ErrorSchema = """{"type":"object","properties":{"errorName":{"type":"string"},"errorMessage":{"type":"string"},"errorStack":{"type":["string","null"]}},"required":["errorName","errorMessage"]}""";

    public static readonly ArvoContract Contract = CreateContract(null);

    public static ArvoContract CreateContract(string? domain) =>
        ArvoContract.Create("#/test/ArvoEventHandler", "com.hello.world", c => c
            .Domain(domain)
            .Version("0.0.1", v => v
                .Accepts(AcceptsSchema)
                .Emits("evt.hello.world.success", SuccessSchema)
                .Emits("evt.hello.world.error", ErrorSchema)));

    public static ArvoEvent Event(
        string? domain = null,
        string? redirectTo = null,
        string? accessControl = null,
        string? traceParent = null,
        string? traceState = null,
        string? subject = "test-subject") =>
        new ArvoEventFactory(Contract.Version("0.0.1")).Accepts(
            new ArvoEventEnvelope
            {
                Source = "com.test.env",
                Subject = subject,
                To = "com.hello.world",
                Domain = domain,
                RedirectTo = redirectTo,
                AccessControl = accessControl,
                TraceParent = traceParent,
                TraceState = traceState,
            },
            new { name = "Saad Ahmad", age = 26 });

    public static ArvoHandlerOutput Hello(ArvoHandlerContext context)
    {
        var input = context.GetData<HelloInput>()!;
        return ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = $"My name is {input.Name}. I am {input.Age} years old" });
    }

    public static ArvoEventHandler Handler(
        ArvoContract? contract = null,
        double executionUnits = 100,
        Func<ArvoHandlerContext, ArvoHandlerResult>? function = null,
        Action<ArvoEventHandlerBuilder>? configure = null)
    {
        var builder = ArvoEventHandler.CreateBuilder(contract ?? Contract)
            .ExecutionUnits(executionUnits)
            .Version("0.0.1", function ?? (ctx => Hello(ctx)));
        configure?.Invoke(builder);
        return builder.Build();
    }

    public sealed record HelloInput(string Name, double Age);
}
