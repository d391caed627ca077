namespace Arvo.Tests.Violations;

public sealed class ViolationTests
{
    [Fact]
    public void Constructor_CustomType_PrefixesNameAndMessage()
    {
        var violation = new ArvoViolation("precondition", "test error");

        violation.Name.Should().Be("ViolationError<precondition>");
        violation.Message.Should().Be("ViolationError<precondition> test error");
        violation.Detail.Should().Be("test error");
        violation.Metadata.Should().BeNull();
        ArvoViolation.IsViolation(violation).Should().BeTrue();
    }

    [Fact]
    public void Constructor_WithMetadata_KeepsMetadata()
    {
        var metadata = new Dictionary<string, object?> { ["key"] = "value", ["count"] = 42 };

        var violation = new ArvoViolation("precondition", "test error", metadata);

        violation.Metadata.Should().BeEquivalentTo(metadata);
    }

    [Fact]
    public void Constructor_EmptyType_Throws()
    {
        var act = () => new ArvoViolation(string.Empty, "m");

        act.Should().Throw<ArgumentException>().WithParameterName("violationType");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a string")]
    [InlineData(42)]
    public void IsViolation_NonViolations_ReturnsFalse(object? value)
    {
        ArvoViolation.IsViolation(value).Should().BeFalse();
    }

    [Fact]
    public void IsViolation_PlainExceptionAndArray_ReturnsFalse()
    {
        ArvoViolation.IsViolation(new InvalidOperationException("ViolationError<Contract> x")).Should().BeFalse();
        ArvoViolation.IsViolation(new object[] { new ContractViolation("x") }).Should().BeFalse();
    }

    [Fact]
    public void LibraryViolations_HaveTheirTypes()
    {
        new ContractViolation("m").Name.Should().Be("ViolationError<Contract>");
        new ConfigViolation("m").Message.Should().Be("ViolationError<Config> m");
        new ExecutionViolation("m").ViolationType.Should().Be("Execution");
        ArvoViolation.IsViolation(new ExecutionViolation("m")).Should().BeTrue();
    }

    [Fact]
    public void TransactionViolation_LockUnacquired_FormatsCauseIntoMessage()
    {
        var inner = new IOException("disk");

        var violation = new TransactionViolation(TransactionViolationCause.LockUnacquired, "m", initiatingEvent: null, inner);

        violation.ViolationType.Should().Be("OrchestratorTransaction");
        violation.Name.Should().Be("ViolationError<OrchestratorTransaction>");
        violation.Message.Should().Be("ViolationError<OrchestratorTransaction> [LOCK_UNACQUIRED] m");
        violation.Cause.Should().Be(TransactionViolationCause.LockUnacquired);
        violation.CauseName.Should().Be("LOCK_UNACQUIRED");
        violation.InnerException.Should().BeSameAs(inner);
        TransactionViolation.IsTransactionViolation(violation).Should().BeTrue();
        TransactionViolation.IsTransactionViolation(violation, TransactionViolationCause.LockUnacquired).Should().BeTrue();
        TransactionViolation.IsTransactionViolation(violation, TransactionViolationCause.ReadMachineMemoryFailure).Should().BeFalse();
        TransactionViolation.IsTransactionViolation(new ContractViolation("m")).Should().BeFalse();
    }
}
