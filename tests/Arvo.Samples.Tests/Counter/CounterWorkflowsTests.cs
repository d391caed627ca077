using Arvo.Samples.Counter;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Counter;

public sealed class CounterWorkflowsTests
{
    [Fact]
    public void CreateInit_IncrementFive_IsShapedLikeTheVectorInit()
    {
        var expected = CounterVectors.Event("counter_workflow", 0);

        var init = CounterWorkflows.CreateInit("increment", 5);

        init.Type.Should().Be(expected.Type);
        init.Source.Should().Be(expected.Source);
        init.To.Should().Be(expected.To);
        init.DataSchema.Should().Be(expected.DataSchema);
        init.Data.GetRawText().Should().Be(expected.Data.GetRawText());
        var subject = ArvoOrchestrationSubject.Parse(init.Subject);
        subject.Orchestrator.Name.Should().Be("arvo.orc.counter");
        subject.Orchestrator.Version.Should().Be("0.0.1");
        subject.Execution.Initiator.Should().Be("com.test.service");
    }

    [Fact]
    public void CreateInit_UnknownType_IsAContractViolation()
    {
        var create = () => CounterWorkflows.CreateInit("multiply", 5);

        create.Should().Throw<ContractViolation>();
    }

    [Fact]
    public void GetFinal_VectorCompletion_ReadsFinal()
    {
        var completion = CounterVectors.EventOfType("counter_workflow_decrement", "arvo.orc.counter.done");

        CounterWorkflows.GetFinal(completion).Should().Be(-3);
        CounterWorkflows.IsTerminal(completion).Should().BeTrue();
    }

    [Fact]
    public void ShortSubject_OrchestrationSubject_IsTheExecutionIdPrefix()
    {
        var init = CounterVectors.Event("counter_workflow", 0);

        CounterWorkflows.ShortSubject(init.Subject).Should().Be("207563ce");
    }

    [Fact]
    public void Contracts_MatchTheVectorDataschemas()
    {
        CounterContracts.Orchestrator.Version("0.0.1").Dataschema.Should().Be("#/test/machine/0.0.1");
        CounterContracts.Orchestrator.Type.Should().Be("arvo.orc.counter");
        CounterContracts.Increment.Version("0.0.1").Dataschema.Should().Be("#/test/service/increment/0.0.1");
        CounterContracts.Decrement.Version("0.0.1").Dataschema.Should().Be("#/test/service/decrement/0.0.1");
        CounterContracts.Notification.Version("0.0.1").Dataschema.Should().Be("#/test/notification/decrement/0.0.1");
    }
}
