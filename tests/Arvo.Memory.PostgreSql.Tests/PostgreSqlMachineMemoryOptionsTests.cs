namespace Arvo.Memory.PostgreSql.Tests;

public sealed class PostgreSqlMachineMemoryOptionsTests
{
    [Fact]
    public void New_Defaults_AreTheDocumentedValues()
    {
        var options = new PostgreSqlMachineMemoryOptions();

        options.Schema.Should().Be("public");
        options.TablePrefix.Should().Be("arvo_");
        options.LockTimeToLive.Should().Be(TimeSpan.FromSeconds(5));
        options.SerializerOptions.Should().BeNull();
    }
}
