using Arvo.Contracts;

namespace Arvo.Tests.Contracts;

/// <summary>contracts.md 5.2.</summary>
public sealed class ArvoOrchestratorEventTypesTests
{
    [Fact]
    public void Prefix_IsArvoOrc()
    {
        ArvoOrchestratorEventTypes.Prefix.Should().Be("arvo.orc");
    }

    [Fact]
    public void Init_Payment_IsArvoOrcPayment()
    {
        ArvoOrchestratorEventTypes.Init("payment").Should().Be("arvo.orc.payment");
    }

    [Fact]
    public void Complete_Payment_EndsWithDone()
    {
        ArvoOrchestratorEventTypes.Complete("payment").Should().Be("arvo.orc.payment.done");
    }

    [Fact]
    public void SystemError_Payment_IsSysArvoOrcPaymentError()
    {
        ArvoOrchestratorEventTypes.SystemError("payment").Should().Be("sys.arvo.orc.payment.error");
    }

    [Theory]
    [InlineData("arvo.orc.payment", true)]
    [InlineData("arvo.orc.payment.done", true)]
    [InlineData("arvo.orchestra.x", true)]
    [InlineData("sys.arvo.orc.payment.error", false)]
    [InlineData("com.arvo.orc", false)]
    [InlineData(null, false)]
    public void IsOrchestratorEventType_StartsWithPrefix(string? type, bool expected)
    {
        ArvoOrchestratorEventTypes.IsOrchestratorEventType(type).Should().Be(expected);
    }
}
