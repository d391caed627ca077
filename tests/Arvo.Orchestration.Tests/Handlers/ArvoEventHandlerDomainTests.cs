using Arvo.Events;
using Arvo.Handlers;

// H-1/H-4 throw a plain Error in the reference; its C# counterpart is System.Exception.
#pragma warning disable CA2201

namespace Arvo.Tests.Handlers;

/// <summary>Scenarios H-12 (output domains) and H-13 (system-error domains).</summary>
public sealed class ArvoEventHandlerDomainTests
{
    private const string SuccessType = "evt.hello.world.success";

    private static ArvoEventHandler WithDomains(string? contractDomain, ArvoHandlerOutput output) =>
        HelloFixture.Handler(contract: HelloFixture.CreateContract(contractDomain), function: _ => output);

    private static ArvoHandlerOutput Output(params string?[] domains) =>
        ArvoHandlerOutput.Emit(SuccessType, new { result = "x" }) with { Domain = domains };

    private static ArvoEventHandler Throwing(string? contractDomain, Action<ArvoEventHandlerBuilder>? configure = null) =>
        HelloFixture.Handler(contract: HelloFixture.CreateContract(contractDomain), function: _ => throw new Exception("Test error"), configure: configure);

    [Fact]
    public async Task ExecuteAsync_DefaultDomainsWithInputDomain_EmitsNullDomain()
    {
        var result = await HelloFixture.Handler().ExecuteAsync(HelloFixture.Event(domain: "test.test"));

        result.All.Select(e => e.Domain).Should().Equal([null]);
    }

    [Fact]
    public async Task ExecuteAsync_LiteralDomains_EmitsOneEventPerDomain()
    {
        var result = await WithDomains(null, Output("test", "notification")).ExecuteAsync(HelloFixture.Event(domain: "test.test"));

        result.All.Select(e => e.Domain).Should().Equal("test", "notification");
        result.AllEventDomains.Should().Equal("test", "notification");
        result.ForDomain("test").Should().ContainSingle();
        result.All[0].Id.Should().NotBe(result.All[1].Id);
    }

    [Fact]
    public async Task ExecuteAsync_DomainsResolvingToTheSameValue_AreDeduplicatedAfterResolution()
    {
        var result = await WithDomains(null, Output(null, null, ArvoDomain.FromSelfContract)).ExecuteAsync(HelloFixture.Event());

        result.All.Select(e => e.Domain).Should().Equal([null]);
    }

    [Fact]
    public async Task ExecuteAsync_SelfContractAndTriggeringEvent_ResolveInOrder()
    {
        var result = await WithDomains("test.3333", Output(ArvoDomain.FromSelfContract, ArvoDomain.FromTriggeringEvent)).ExecuteAsync(HelloFixture.Event());

        result.All.Select(e => e.Domain).Should().Equal("test.3333", null);
    }

    [Fact]
    public async Task ExecuteAsync_DeveloperManagedIdAcrossDomains_SharesTheId()
    {
        var output = Output(null, ArvoDomain.FromSelfContract, ArvoDomain.FromEventContract, ArvoDomain.FromTriggeringEvent, "test.3") with
        {
            Id = ArvoEventId.DeveloperManaged("custom-id"),
        };

        var result = await WithDomains("test.3333", output).ExecuteAsync(HelloFixture.Event(domain: "test.1"));

        result.All.Select(e => e.Domain).Should().Equal(null, "test.3333", "test.1", "test.3");
        result.All.Should().OnlyContain(e => e.Id == "custom-id");
    }

    [Fact]
    public async Task ExecuteAsync_DefaultLiteralDomain_IsEmittedAsNull()
    {
        var result = await WithDomains(null, Output("default", "external")).ExecuteAsync(HelloFixture.Event());

        result.All.Select(e => e.Domain).Should().Equal(null, "external");
    }

    [Fact]
    public async Task ExecuteAsync_EmptyDomainList_EmitsNothingForThatOutput()
    {
        var result = await WithDomains(null, Output()).ExecuteAsync(HelloFixture.Event());

        result.All.Should().BeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_DefaultEmitDomainsOption_AppliesToOutputsWithoutDomain()
    {
        var handler = HelloFixture.Handler(configure: h => h.DefaultEventEmissionDomains(new ArvoEventEmissionDomains { Emits = ["analytics", ArvoDomain.Local] }));

        var result = await handler.ExecuteAsync(HelloFixture.Event());

        result.All.Select(e => e.Domain).Should().Equal("analytics", null);
    }

    [Theory]
    [InlineData("test.3333", "test.1")]
    [InlineData(null, "test.1")]
    [InlineData("test.3333", null)]
    public async Task ExecuteAsync_FunctionThrowsWithDefaultDomains_EmitsOneNullDomainError(string? contractDomain, string? inputDomain)
    {
        var input = HelloFixture.Event(domain: inputDomain);

        var result = await Throwing(contractDomain).ExecuteAsync(input);

        var evt = result.All.Should().ContainSingle().Subject;
        evt.Domain.Should().BeNull();
        evt.ParentId.Should().Be(input.Id);
    }

    [Fact]
    public async Task ExecuteAsync_SystemErrorFromCurrentSubject_UsesTheSubjectDomain()
    {
        var input = HelloFixture.Event(domain: "test.1", subject: null);

        var result = await Throwing("test.3333", h => h.DefaultEventEmissionDomains(new ArvoEventEmissionDomains { SystemError = [ArvoDomain.FromCurrentSubject] }))
            .ExecuteAsync(input);

        result.All.Should().ContainSingle().Which.Domain.Should().Be("test.1");
    }

    [Fact]
    public async Task ExecuteAsync_SystemErrorDomainAlias_ResolvesAndDeduplicates()
    {
        var handler = Throwing("test.3333", h => h.SystemErrorDomain(ArvoDomain.FromTriggeringEvent, ArvoDomain.FromSelfContract, null, "test.1"));

        var result = await handler.ExecuteAsync(HelloFixture.Event(domain: "test.1"));

        handler.DefaultEventEmissionDomains.SystemError.Should().Equal(ArvoDomain.FromTriggeringEvent, ArvoDomain.FromSelfContract, null, "test.1");
        result.All.Select(e => e.Domain).Should().Equal("test.1", "test.3333", null);
        result.All.Should().OnlyContain(e => e.Type == "sys.com.hello.world.error");
    }
}
