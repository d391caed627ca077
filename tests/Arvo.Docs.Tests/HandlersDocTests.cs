using Arvo.Factories;
using Arvo.Handlers;

namespace Arvo.Docs;

// docs:types:begin
public sealed record LocalizedGreetRequest(string Name, string Language);

public static class Translations
{
    // Stands in for real I/O (a database, an HTTP API): handler functions may be asynchronous.
    public static ValueTask<string> GreetingAsync(string language, string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(language == "fr" ? $"Bonjour, {name} !" : $"Hello, {name}!");
}
// docs:types:end

/// <summary>The code of docs/handlers.md, run.</summary>
public sealed class HandlersDocTests
{
    private static (ArvoContract Contract, ArvoEventHandler Handler) Greeter()
    {
        // docs:handler:begin
        var greeter = ArvoContract.Create("#/demo/greeter", "com.demo.greet", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")
                .Emits("evt.demo.greet.success", """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}"""))
            .Version("2.0.0", version => version
                .Accepts("""{"type":"object","properties":{"name":{"type":"string"},"language":{"enum":["en","fr"]}},"required":["name","language"]}""")
                .Emits("evt.demo.greet.success", """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""")
                .Emits("evt.demo.greet.audited", """{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")));

        // One function per contract version; Build() rejects a contract version without one.
        var handler = ArvoEventHandler.CreateBuilder(greeter)
            .ExecutionUnits(1)
            .Version("1.0.0", context => ArvoHandlerOutput.Emit(
                "evt.demo.greet.success",
                new { text = $"Hello, {context.Data.GetProperty("name").GetString()}!" }))
            .Version("2.0.0", async context =>
            {
                var request = context.GetData<LocalizedGreetRequest>()!;
                var text = await Translations.GreetingAsync(request.Language, request.Name, context.CancellationToken);
                return new[]
                {
                    ArvoHandlerOutput.Emit("evt.demo.greet.success", new { text }),
                    // An output may override the routing: this one goes to an audit service, not back to the caller.
                    ArvoHandlerOutput.Emit("evt.demo.greet.audited", new { name = request.Name }) with { To = "com.demo.audit" },
                };
            })
            .Build();
        // docs:handler:end
        return (greeter, handler);
    }

    [Fact]
    public async Task Handler_RunsTheFunctionOfTheEventsVersion()
    {
        var (greeter, handler) = Greeter();

        // docs:execute:begin
        var request = new ArvoEventFactory(greeter.Version("2.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { name = "Ada", language = "fr" });

        ArvoExecutionResult result = await handler.ExecuteAsync(request);

        // result.All: the two events, in order
        //   evt.demo.greet.success  {"text":"Bonjour, Ada !"}  to com.demo.client  dataschema #/demo/greeter/2.0.0
        //   evt.demo.greet.audited  {"name":"Ada"}             to com.demo.audit
        // each with source com.demo.greet, the request's subject, parentid = request.Id, executionunits 1
        // docs:execute:end

        result.All.Select(e => (e.Type, e.Data.GetRawText(), e.To, e.DataSchema)).Should().Equal(
            ("evt.demo.greet.success", """{"text":"Bonjour, Ada !"}""", "com.demo.client", "#/demo/greeter/2.0.0"),
            ("evt.demo.greet.audited", """{"name":"Ada"}""", "com.demo.audit", "#/demo/greeter/2.0.0"));
        result.All.Should().OnlyContain(e => e.Source == "com.demo.greet" && e.Subject == request.Subject && e.ParentId == request.Id && e.ExecutionUnits == 1);
        result.All.Should().OnlyContain(e => e.Domain == null);
        result.Events.Should().Equal(result.All);
    }

    [Fact]
    public async Task Handler_OlderVersionAndRedirectTo_AnswersTheRedirectTarget()
    {
        var (greeter, handler) = Greeter();

        // docs:redirect:begin
        // The caller asks for the answer to go elsewhere: `to` = the request's redirectto, else its source.
        var request = new ArvoEventFactory(greeter.Version("1.0.0")).Accepts(
            new ArvoEventEnvelope { Source = "com.demo.client", RedirectTo = "com.demo.inbox" },
            new { name = "Grace" });
        var answer = (await handler.ExecuteAsync(request)).All.Single();
        // answer.Type == "evt.demo.greet.success", answer.Data == {"text":"Hello, Grace!"}, answer.To == "com.demo.inbox"
        // docs:redirect:end

        (answer.Type, answer.Data.GetRawText(), answer.To, answer.DataSchema, answer.RedirectTo).Should().Be(
            ("evt.demo.greet.success", """{"text":"Hello, Grace!"}""", "com.demo.inbox", "#/demo/greeter/1.0.0", (string?)null));
    }

    [Fact]
    public void Build_VersionWithoutFunction_Throws()
    {
        var (greeter, _) = Greeter();

        var build = () => ArvoEventHandler.CreateBuilder(greeter)
            .Version("1.0.0", _ => ArvoHandlerOutput.Emit("evt.demo.greet.success", new { text = "hi" }))
            .Build();

        build.Should().Throw<InvalidOperationException>().WithMessage(
            "Contract #/demo/greeter requires handler implementation for version 2.0.0: call Version(\"2.0.0\", …) before Build().");
    }

    [Fact]
    public async Task Handler_EventWithoutDataschema_RunsTheLatestVersion()
    {
        var (greeter, handler) = Greeter();
        var request = new ArvoEventFactory(greeter.Version("2.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { name = "Ada", language = "en" })
            .WithDataSchema(null);

        var result = await handler.ExecuteAsync(request);

        result.All.Select(e => e.Type).Should().Equal("evt.demo.greet.success", "evt.demo.greet.audited");
        result.All[0].Data.GetRawText().Should().Be("""{"text":"Hello, Ada!"}""");
        result.All[0].DataSchema.Should().Be("#/demo/greeter/2.0.0");
    }

    [Fact]
    public async Task Handler_EmitsDataItsSchemaRejects_ThrowsContractViolation()
    {
        var greeter = Greeter().Contract;
        var handler = ArvoEventHandler.CreateBuilder(greeter)
            .Version("1.0.0", _ => ArvoHandlerOutput.Emit("evt.demo.greet.success", new { text = 42 }))
            .Version("2.0.0", _ => ArvoHandlerOutput.Emit("evt.demo.greet.unknown", new { }))
            .Build();
        var v1 = new ArvoEventFactory(greeter.Version("1.0.0")).Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { name = "Ada" });
        var v2 = new ArvoEventFactory(greeter.Version("2.0.0")).Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { name = "Ada", language = "en" });

        var badData = async () => await handler.ExecuteAsync(v1);
        var unknownType = async () => await handler.ExecuteAsync(v2);

        (await badData.Should().ThrowAsync<ContractViolation>()).Which.Message.Should().Be(
            "ViolationError<Contract> Emit Event data validation failed: $.text: expected string, found number");
        (await unknownType.Should().ThrowAsync<ContractViolation>()).Which.Message.Should().Be(
            "ViolationError<Contract> Emit Event data validation failed: No contract available for evt.demo.greet.unknown");
    }

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("handlers");
}
