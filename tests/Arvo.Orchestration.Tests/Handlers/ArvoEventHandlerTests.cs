using System.Text.Json;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Handlers;

// H-1/H-4 throw a plain Error in the reference; its C# counterpart is System.Exception.
#pragma warning disable CA2201

namespace Arvo.Tests.Handlers;

/// <summary>Scenarios H-1..H-11 and H-14: the <see cref="ArvoEventHandler"/> pipeline and output fields.</summary>
public sealed class ArvoEventHandlerTests
{
    private const string SuccessType = "evt.hello.world.success";

    [Fact]
    public void Build_HelloContract_ExposesSourceAndSystemErrorSchema()
    {
        var handler = HelloFixture.Handler();

        handler.Source.Should().Be("com.hello.world");
        handler.SystemErrorSchema.Type.Should().Be("sys.com.hello.world.error");
        handler.ExecutionUnits.Should().Be(100);
        handler.DefaultEventEmissionDomains.Emits.Should().Equal(ArvoDomain.OrchestrationContext);
        handler.DefaultEventEmissionDomains.SystemError.Should().Equal(ArvoDomain.OrchestrationContext);
    }

    [Fact]
    public async Task ExecuteAsync_HelloEvent_EmitsOneSuccessEventWithDerivedFields()
    {
        var input = HelloFixture.Event();

        var result = await HelloFixture.Handler().ExecuteAsync(input);

        var evt = result.All.Should().ContainSingle().Subject;
        evt.Type.Should().Be(SuccessType);
        evt.Data.GetProperty("result").GetString().Should().Be("My name is Saad Ahmad. I am 26 years old");
        evt.Source.Should().Be("com.hello.world");
        evt.Subject.Should().Be("test-subject");
        evt.To.Should().Be("com.test.env");
        evt.ParentId.Should().Be(input.Id);
        evt.ExecutionUnits.Should().Be(100);
        evt.DataSchema.Should().Be("#/test/ArvoEventHandler/0.0.1");
        evt.RedirectTo.Should().BeNull();
        evt.AccessControl.Should().BeNull();
        evt.Domain.Should().BeNull();
        result.Events.Should().Equal(result.All);
    }

    [Fact]
    public async Task ExecuteAsync_CustomSpanAttributes_KeepsThemAndSucceeds()
    {
        var handler = HelloFixture.Handler(configure: h => h.SpanOptions(new ArvoSpanOptions
        {
            Attributes = new Dictionary<string, object?> { ["custom.attribute"] = "test-value" },
        }));

        var result = await handler.ExecuteAsync(HelloFixture.Event());

        handler.SpanOptions.Attributes.Should().Contain("custom.attribute", "test-value");
        result.All.Should().ContainSingle();
    }

    [Fact]
    public async Task ExecuteAsync_OutputFieldsOutsideTheOutputModel_AreDerived()
    {
        // The typed output has no parentid/source/subject: they are always derived (H-1 parentid override).
        var input = HelloFixture.Event();
        var handler = HelloFixture.Handler(function: _ => ArvoHandlerOutput.Emit(SuccessType, new { result = "x", parentid = "custom-parent-override" }));

        var evt = (await handler.ExecuteAsync(input)).All.Single();

        evt.ParentId.Should().Be(input.Id);
        evt.Data.GetRawText().Should().Be("""{"result":"x"}""");
    }

    [Fact]
    public async Task ExecuteAsync_InputRedirectAndAccessControl_RoutesToRedirectAndInheritsAccess()
    {
        var input = HelloFixture.Event(redirectTo: "com.redirect.target", accessControl: "role:admin");

        var evt = (await HelloFixture.Handler(executionUnits: 7).ExecuteAsync(input)).All.Single();

        evt.To.Should().Be("com.redirect.target");
        evt.AccessControl.Should().Be("role:admin");
        evt.RedirectTo.Should().BeNull();
        evt.ExecutionUnits.Should().Be(7);
        evt.ParentId.Should().Be(input.Id);
    }

    [Fact]
    public async Task ExecuteAsync_OutputRoutingFields_AreUsedAsGiven()
    {
        var handler = HelloFixture.Handler(function: _ => ArvoHandlerOutput.Emit(SuccessType, new { result = "x" }) with
        {
            To = "com.custom.to",
            RedirectTo = "com.r.r",
            AccessControl = "ac2",
        });

        var evt = (await handler.ExecuteAsync(HelloFixture.Event(redirectTo: "com.redirect.target", accessControl: "role:admin"))).All.Single();

        evt.To.Should().Be("com.custom.to");
        evt.RedirectTo.Should().Be("com.r.r");
        evt.AccessControl.Should().Be("ac2");
    }

    [Fact]
    public async Task ExecuteAsync_OutputsWithExecutionUnits_OverrideTheDefaultInOrder()
    {
        var handler = HelloFixture.Handler(function: _ => new[]
        {
            ArvoHandlerOutput.Emit(SuccessType, new { result = "a" }) with { ExecutionUnits = 200 },
            ArvoHandlerOutput.Emit(SuccessType, new { result = "b" }) with { ExecutionUnits = 500 },
            ArvoHandlerOutput.Emit(SuccessType, new { result = "c" }) with { ExecutionUnits = 0 },
        });

        var all = (await handler.ExecuteAsync(HelloFixture.Event())).All;

        all.Select(e => e.ExecutionUnits).Should().Equal(200, 500, 0);
        all.Select(e => e.Data.GetProperty("result").GetString()).Should().Equal("a", "b", "c");
    }

    [Fact]
    public async Task ExecuteAsync_OtherEventType_ThrowsConfigViolation()
    {
        var input = ArvoEvent.Create(new ArvoEventInit
        {
            Type = "com.saad.invalid.test",
            Source = "test",
            Subject = "test",
            To = "com.saad.exe",
            Data = new { name = "saad" },
        });

        var act = async () => await HelloFixture.Handler().ExecuteAsync(input);

        await act.Should().ThrowAsync<ConfigViolation>()
            .WithMessage("ViolationError<Config> Event type mismatch: Received 'com.saad.invalid.test', expected 'com.hello.world'");
    }

    [Fact]
    public async Task ExecuteAsync_FunctionThrows_ReturnsSystemErrorEvent()
    {
        var input = HelloFixture.Event();
        var handler = HelloFixture.Handler(function: _ => throw new Exception("Test error"));

        var result = await handler.ExecuteAsync(input);

        var evt = result.All.Should().ContainSingle().Subject;
        evt.Type.Should().Be("sys.com.hello.world.error");
        evt.Subject.Should().Be("test-subject");
        evt.Data.GetProperty("errorMessage").GetString().Should().Be("Test error");
        evt.Data.GetProperty("errorName").GetString().Should().Be("Exception");
        evt.To.Should().Be("com.test.env");
        evt.Source.Should().Be("com.hello.world");
        evt.ParentId.Should().Be(input.Id);
        evt.DataSchema.Should().Be("#/test/ArvoEventHandler/0.0.0");
        evt.ExecutionUnits.Should().Be(100);
        evt.Domain.Should().BeNull();
        evt.RedirectTo.Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_FunctionThrowsWithInputRedirect_SendsSystemErrorToInputSource()
    {
        var handler = HelloFixture.Handler(function: _ => throw new InvalidOperationException("boom"));

        var evt = (await handler.ExecuteAsync(HelloFixture.Event(redirectTo: "com.redirect.target", accessControl: "role:admin"))).All.Single();

        evt.To.Should().Be("com.test.env");
        evt.AccessControl.Should().Be("role:admin");
        evt.Data.GetProperty("errorName").GetString().Should().Be("InvalidOperationException");
    }

    [Fact]
    public async Task ExecuteAsync_AsyncFunctionThrows_ReturnsSystemErrorEvent()
    {
        var handler = ArvoEventHandler.CreateBuilder(HelloFixture.Contract)
            .ExecutionUnits(100)
            .Version("0.0.1", async ctx =>
            {
                await Task.Yield();
                throw new Exception("async failure");
            })
            .Build();

        var evt = (await handler.ExecuteAsync(HelloFixture.Event())).All.Single();

        evt.Type.Should().Be("sys.com.hello.world.error");
        evt.Data.GetProperty("errorMessage").GetString().Should().Be("async failure");
    }

    [Fact]
    public async Task ExecuteAsync_FunctionThrowsExecutionViolation_Rethrows()
    {
        var handler = HelloFixture.Handler(function: _ => throw new ExecutionViolation("Test error"));

        var act = async () => await handler.ExecuteAsync(HelloFixture.Event());

        var thrown = await act.Should().ThrowAsync<ExecutionViolation>().WithMessage("*Test error*");
        thrown.Which.Name.Should().Be("ViolationError<Execution>");
    }

    [Fact]
    public async Task ExecuteAsync_InvalidDataWithoutDataschema_ThrowsContractViolation()
    {
        var input = ArvoEvent.Create(new ArvoEventInit { Type = "com.hello.world", Source = "com.test.env", Subject = "test-subject", Data = new { name = "Saad" } });

        var act = async () => await HelloFixture.Handler().ExecuteAsync(input);

        await act.Should().ThrowAsync<ContractViolation>().WithMessage("ViolationError<Contract> Input event payload validation failed:*");
    }

    [Fact]
    public async Task ExecuteAsync_InvalidDataWithDataschema_ThrowsContractViolation()
    {
        var input = ArvoEvent.Create(new ArvoEventInit
        {
            Type = "com.hello.world",
            Source = "com.test.env",
            Subject = "test-subject",
            DataSchema = "#/test/ArvoEventHandler/0.0.1",
            Data = new { input = 2 },
        });

        var act = async () => await HelloFixture.Handler().ExecuteAsync(input);

        await act.Should().ThrowAsync<ContractViolation>().WithMessage("ViolationError<Contract>*");
    }

    [Fact]
    public async Task ExecuteAsync_FunctionReturnsNothing_EmitsNothing()
    {
        var none = await HelloFixture.Handler(function: _ => ArvoHandlerResult.None).ExecuteAsync(HelloFixture.Event());
        var empty = await HelloFixture.Handler(function: _ => Array.Empty<ArvoHandlerOutput>()).ExecuteAsync(HelloFixture.Event());
        var nullOutput = await HelloFixture.Handler(function: _ => (ArvoHandlerOutput?)null).ExecuteAsync(HelloFixture.Event());

        none.All.Should().BeEmpty();
        empty.All.Should().BeEmpty();
        nullOutput.All.Should().BeEmpty();
    }

    [Fact]
    public void Build_VersionWithoutFunction_Throws()
    {
        var contract = ArvoContract.Create("#/test/Missing", "com.test.missing", c => c
            .Version("0.0.1", v => v.Accepts("""{"type":"object"}"""))
            .Version("0.0.2", v => v.Accepts("""{"type":"object"}""")));

        var missing = () => ArvoEventHandler.CreateBuilder(contract).ExecutionUnits(1).Version("0.0.1", _ => ArvoHandlerResult.None).Build();
        var complete = () => ArvoEventHandler.CreateBuilder(contract)
            .ExecutionUnits(1)
            .Version("0.0.1", _ => ArvoHandlerResult.None)
            .Version("0.0.2", _ => ArvoHandlerResult.None)
            .Version("9.9.9", _ => ArvoHandlerResult.None)
            .Build();

        missing.Should().Throw<InvalidOperationException>()
            .WithMessage("Contract #/test/Missing requires handler implementation for version 0.0.2: call Version(\"0.0.2\", …) before Build().");
        complete.Should().NotThrow();
    }

    [Fact]
    public async Task ExecuteAsync_MatchingDataschema_Succeeds()
    {
        var result = await HelloFixture.Handler().ExecuteAsync(HelloFixture.Event().WithDataSchema("#/test/ArvoEventHandler/0.0.1"));

        result.All.Should().ContainSingle().Which.Type.Should().Be(SuccessType);
    }

    [Fact]
    public async Task ExecuteAsync_OtherContractUri_ThrowsContractViolation()
    {
        var act = async () => await HelloFixture.Handler().ExecuteAsync(HelloFixture.Event().WithDataSchema("#/wrong/contract/0.0.1"));

        await act.Should().ThrowAsync<ContractViolation>().WithMessage(
            "ViolationError<Contract> Contract URI mismatch: Handler expects '#/test/ArvoEventHandler' but event dataschema specifies '#/wrong/contract/0.0.1'. Events must reference the same contract URI as their handler.");
    }

    [Fact]
    public async Task ExecuteAsync_UnknownVersion_ThrowsConfigViolation()
    {
        var act = async () => await HelloFixture.Handler().ExecuteAsync(HelloFixture.Event().WithDataSchema("#/test/ArvoEventHandler/0.0.2"));

        await act.Should().ThrowAsync<ConfigViolation>().WithMessage("ViolationError<Config>*");
    }

    [Fact]
    public async Task ExecuteAsync_WildcardVersion_ThrowsConfigViolation()
    {
        var act = async () => await HelloFixture.Handler().ExecuteAsync(HelloFixture.Event().WithDataSchema("#/test/ArvoEventHandler/0.0.0"));

        await act.Should().ThrowAsync<ConfigViolation>().WithMessage("ViolationError<Config> Invalid contract version: 0.0.0. Available versions: 0.0.1");
    }

    [Fact]
    public async Task ExecuteAsync_NoDataschema_UsesLatestVersion()
    {
        var contract = ArvoContract.Create("#/test/versions", "com.test.versions", c => c
            .Version("0.0.1", v => v.Accepts("""{"type":"object"}""").Emits("evt.v.v", """{"type":"object","properties":{"v":{"type":"string"}}}"""))
            .Version("0.0.2", v => v.Accepts("""{"type":"object"}""").Emits("evt.v.v", """{"type":"object","properties":{"v":{"type":"string"}}}""")));
        var handler = ArvoEventHandler.CreateBuilder(contract)
            .ExecutionUnits(1)
            .Version("0.0.1", _ => ArvoHandlerOutput.Emit("evt.v.v", new { v = "one" }))
            .Version("0.0.2", ctx => ArvoHandlerOutput.Emit("evt.v.v", new { v = ctx.Contract.Version }))
            .Build();
        var input = ArvoEvent.Create(new ArvoEventInit { Type = "com.test.versions", Source = "com.test.env", Subject = "s", Data = new { } });

        var evt = (await handler.ExecuteAsync(input)).All.Single();

        evt.Data.GetProperty("v").GetString().Should().Be("0.0.2");
        evt.DataSchema.Should().Be("#/test/versions/0.0.2");
    }

    [Fact]
    public async Task ExecuteAsync_OutputDataViolatesSchema_ThrowsContractViolation()
    {
        var handler = HelloFixture.Handler(function: _ => ArvoHandlerOutput.Emit(SuccessType, new { result = 2 }));

        var act = async () => await handler.ExecuteAsync(HelloFixture.Event());

        await act.Should().ThrowAsync<ContractViolation>().WithMessage("ViolationError<Contract>*");
    }

    [Fact]
    public async Task ExecuteAsync_OutputTypeUnknown_ThrowsContractViolation()
    {
        var handler = HelloFixture.Handler(function: _ => ArvoHandlerOutput.Emit("evt.unknown.type", new { result = "x" }));

        var act = async () => await handler.ExecuteAsync(HelloFixture.Event());

        await act.Should().ThrowAsync<ContractViolation>()
            .WithMessage("ViolationError<Contract> Emit Event data validation failed: No contract available for evt.unknown.type");
    }

    [Fact]
    public async Task ExecuteAsync_OutputWithInvalidAttribute_ThrowsContractViolationWithUnderlyingMessage()
    {
        var handler = HelloFixture.Handler(function: _ => ArvoHandlerOutput.Emit(SuccessType, new { result = "x" }) with { Domain = ["Not A Domain"] });

        var act = async () => await handler.ExecuteAsync(HelloFixture.Event());

        var thrown = await act.Should().ThrowAsync<ContractViolation>();
        thrown.Which.InnerException.Should().NotBeNull();
        thrown.Which.Detail.Should().Be(thrown.Which.InnerException!.Message);
    }

    [Fact]
    public async Task ExecuteAsync_SchemaWithDefaults_FunctionSeesRawDataAndEmitsValidatedData()
    {
        var contract = ArvoContract.Create("#/s", "com.s.s", c => c.Version("0.0.1", v => v
            .Accepts("""{"type":"object","properties":{"a":{"type":"number"},"d":{"type":"string","default":"dflt"}},"required":["a"]}""")
            .Emits("evt.s.s", """{"type":"object","properties":{"x":{"type":"number"},"nested":{"type":"object","properties":{"y":{"type":"number"}},"required":["y"]}},"required":["x"]}""")));
        string? seen = null;
        var handler = ArvoEventHandler.CreateBuilder(contract)
            .ExecutionUnits(1)
            .Version("0.0.1", ctx =>
            {
                seen = ctx.Data.GetRawText();
                return ArvoHandlerOutput.Emit("evt.s.s", JsonDocument.Parse("""{"x":1,"extra":2,"nested":{"y":1,"z":3}}""").RootElement);
            })
            .Build();
        var input = ArvoEvent.Create(new ArvoEventInit { Type = "com.s.s", Source = "com.test.env", Subject = "s", Data = JsonDocument.Parse("""{"a":1,"more":true}""").RootElement });

        var evt = (await handler.ExecuteAsync(input)).All.Single();

        seen.Should().Be("""{"a":1,"more":true}""");
        evt.Data.GetRawText().Should().Be("""{"x":1,"nested":{"y":1}}""");
    }

    [Fact]
    public async Task ExecuteAsync_AnyException_FillsAllErrorFields()
    {
        var handler = HelloFixture.Handler(function: _ => throw new FormatException("str"));

        var data = (await handler.ExecuteAsync(HelloFixture.Event())).All.Single().Data;

        data.GetProperty("errorName").GetString().Should().Be("FormatException");
        data.GetProperty("errorMessage").GetString().Should().Be("str");
        data.GetProperty("errorStack").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_Context_ExposesSourceVersionDomainsAndToken()
    {
        using var cts = new CancellationTokenSource();
        ArvoHandlerContext? captured = null;
        var handler = HelloFixture.Handler(contract: HelloFixture.CreateContract("test.3333"), function: ctx =>
        {
            captured = ctx;
            return ArvoHandlerResult.None;
        });
        var input = HelloFixture.Event(domain: "test.1");

        await handler.ExecuteAsync(input, cancellationToken: cts.Token);

        captured!.Source.Should().Be("com.hello.world");
        captured.Contract.Version.Should().Be("0.0.1");
        captured.Domain.Should().Be(new ArvoHandlerDomains("test.3333", "test.1"));
        captured.Event.Should().BeSameAs(input);
        captured.CancellationToken.Should().Be(cts.Token);
        captured.GetData<HelloFixture.HelloInput>().Should().Be(new HelloFixture.HelloInput("Saad Ahmad", 26));
    }

    [Fact]
    public async Task ExecuteAsync_CancelledFunction_PropagatesCancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var handler = HelloFixture.Handler(function: ctx =>
        {
            ctx.CancellationToken.ThrowIfCancellationRequested();
            return ArvoHandlerResult.None;
        });

        var act = async () => await handler.ExecuteAsync(HelloFixture.Event(), cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ExecuteAsync_InjectedClockAndIds_AreUsedForOutputs()
    {
        var time = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var clock = new FixedTimeProvider(time);
        var handler = HelloFixture.Handler(configure: h => h.CreationOptions(new ArvoEventCreationOptions { TimeProvider = clock, IdGenerator = new FixedIdGenerator(), DeterministicEmittedIds = false }));

        var evt = (await handler.ExecuteAsync(HelloFixture.Event())).All.Single();

        evt.Id.Should().Be("00000000-0000-4000-8000-000000000001");
        evt.Time.Should().StartWith("2024-01-02T03:04:05");
    }

    [Fact]
    public async Task ExecuteAsync_ManyConcurrentCalls_GiveIndependentResults()
    {
        var handler = ArvoEventHandler.CreateBuilder(HelloFixture.Contract)
            .ExecutionUnits(100)
            .Version("0.0.1", async ctx =>
            {
                await Task.Yield();
                return HelloFixture.Hello(ctx);
            })
            .Build();
        var factory = new ArvoEventFactory(HelloFixture.Contract.Version("0.0.1"));
        var inputs = Enumerable.Range(0, 200)
            .Select(i => factory.Accepts(new ArvoEventEnvelope { Source = "com.test.env", Subject = "s" + i }, new { name = "n" + i, age = i }))
            .ToArray();

        var results = await Task.WhenAll(inputs.Select(e => Task.Run(async () => await handler.ExecuteAsync(e))));

        for (var i = 0; i < inputs.Length; i++)
        {
            var evt = results[i].All.Single();
            evt.ParentId.Should().Be(inputs[i].Id);
            evt.Subject.Should().Be("s" + i);
            evt.Data.GetProperty("result").GetString().Should().Be($"My name is n{i}. I am {i} years old");
        }
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class FixedIdGenerator : IArvoIdGenerator
    {
        public string NewId() => "00000000-0000-4000-8000-000000000001";
    }
}
