using System.Diagnostics;
using Arvo.Events;
using Arvo.Handlers;

namespace Arvo.Tests.Handlers;

/// <summary>How a handler is built: <see cref="ArvoEventHandler.CreateBuilder"/>, the builder's checks and its product.</summary>
public sealed class ArvoEventHandlerBuilderTests
{
    [Fact]
    public async Task Version_BodyThatOnlyThrows_CompilesAndReturnsTheSystemErrorEvent()
    {
        // Issue 16 item 9: this lambda fits both overloads; it used to be CS0121.
        var handler = ArvoEventHandler.CreateBuilder(HelloFixture.Contract)
            .Version("0.0.1", ctx => throw new InvalidOperationException("x"))
            .Build();

        var evt = (await handler.ExecuteAsync(HelloFixture.Event())).All.Should().ContainSingle().Subject;

        evt.Type.Should().Be("sys.com.hello.world.error");
        evt.Data.GetProperty("errorName").GetString().Should().Be("InvalidOperationException");
        evt.Data.GetProperty("errorMessage").GetString().Should().Be("x");
        evt.To.Should().Be("com.test.env");
    }

    [Fact]
    public void Build_NothingConfigured_HasTheReferenceDefaults()
    {
        var handler = ArvoEventHandler.CreateBuilder(HelloFixture.Contract).Version("0.0.1", ctx => HelloFixture.Hello(ctx)).Build();

        handler.ExecutionUnits.Should().Be(0);
        handler.SpanOptions.Kind.Should().Be(ActivityKind.Consumer);
        handler.SpanOptions.Attributes.Should().BeNull();
        handler.SpanOptions.SpanName.Should().BeNull();
        handler.DefaultEventEmissionDomains.Should().Be(ArvoEventEmissionDomains.Default);
        handler.CreationOptions.Should().BeSameAs(ArvoEventCreationOptions.Default);
    }

    [Fact]
    public void Build_SpanOptionsWithAKind_KeepsIt()
    {
        var handler = HelloFixture.Handler(configure: b => b.SpanOptions(new ArvoSpanOptions { Kind = ActivityKind.Internal }));

        handler.SpanOptions.Kind.Should().Be(ActivityKind.Internal);
    }

    [Fact]
    public async Task Build_CalledAgainAfterAChange_LeavesTheFirstHandlerAsItWas()
    {
        var builder = ArvoEventHandler.CreateBuilder(HelloFixture.Contract)
            .ExecutionUnits(1)
            .Version("0.0.1", _ => ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = "first" }));
        var first = builder.Build();

        var second = builder
            .ExecutionUnits(2)
            .Version("0.0.1", _ => ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = "second" }))
            .Build();

        var fromFirst = (await first.ExecuteAsync(HelloFixture.Event())).All.Single();
        var fromSecond = (await second.ExecuteAsync(HelloFixture.Event())).All.Single();
        fromFirst.Data.GetProperty("result").GetString().Should().Be("first");
        fromFirst.ExecutionUnits.Should().Be(1);
        fromSecond.Data.GetProperty("result").GetString().Should().Be("second");
        fromSecond.ExecutionUnits.Should().Be(2);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void ExecutionUnits_NotFinite_ThrowsArgumentOutOfRange(double executionUnits)
    {
        var act = () => ArvoEventHandler.CreateBuilder(HelloFixture.Contract).ExecutionUnits(executionUnits);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("executionUnits");
    }

    [Fact]
    public void DefaultEventEmissionDomains_NullList_ThrowsNamingTheList()
    {
        var act = () => ArvoEventHandler.CreateBuilder(HelloFixture.Contract).DefaultEventEmissionDomains(new ArvoEventEmissionDomains { Emits = null! });

        act.Should().Throw<ArgumentNullException>().WithMessage("ArvoEventEmissionDomains.Emits must not be null.*");
    }

    [Fact]
    public void CreateBuilder_NullContract_Throws()
    {
        var act = () => ArvoEventHandler.CreateBuilder(null!);

        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("contract");
    }

    // ---- Issue 16 item 10: version strings and domain literals are checked when they are given ----

    [Theory]
    [InlineData("0.1")]
    [InlineData("0.0.1 ")]
    [InlineData("latest")]
    public void Version_NotASemanticVersion_ThrowsNamingTheValueAndTheFormat(string version)
    {
        var act = () => ArvoEventHandler.CreateBuilder(HelloFixture.Contract).Version(version, ctx => HelloFixture.Hello(ctx));

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(version)).WithMessage(
            $"The version '{version}' is not a contract version: it must be MAJOR.MINOR.PATCH with digits only, e.g. 0.0.1.*");
    }

    [Fact]
    public void DefaultEventEmissionDomains_InvalidEmitsLiteral_ThrowsAtConfiguration()
    {
        var act = () => ArvoEventHandler.CreateBuilder(HelloFixture.Contract)
            .DefaultEventEmissionDomains(new ArvoEventEmissionDomains { Emits = ["Audit"] });

        act.Should().Throw<ArgumentException>().WithParameterName("domains").WithMessage(
            "ArvoEventEmissionDomains.Emits[0] = 'Audit' is not a valid domain: a domain is lowercase letters, digits and dots (e.g. test.domain), an ArvoDomain symbol, or null for no domain.*");
    }

    [Fact]
    public void SystemErrorDomain_InvalidLiteral_ThrowsAtConfiguration()
    {
        var act = () => ArvoEventHandler.CreateBuilder(HelloFixture.Contract).SystemErrorDomain(ArvoDomain.FromTriggeringEvent, "audit log");

        act.Should().Throw<ArgumentException>().WithMessage("ArvoEventEmissionDomains.SystemError[1] = 'audit log' is not a valid domain*");
    }
}
