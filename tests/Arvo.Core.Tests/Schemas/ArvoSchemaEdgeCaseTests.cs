using System.Text.Json;
using Arvo.Schemas;

namespace Arvo.Tests.Schemas;

public sealed class ArvoSchemaEdgeCaseTests
{
    [Fact]
    public void Validate_RequiredWithoutTypeOnNonObject_ReportsOneRootIssueInsteadOfThrowing()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"x":{"required":["a"]}}}""");
        using var data = JsonDocument.Parse("""{"x":5}""");

        var compiled = schema.Validate(data.RootElement);
        var reference = schema.ValidateWithNJsonSchema(data.RootElement);

        // NJsonSchema applies `required` to non-objects; both paths agree and name the problem at the root.
        reference.IsValid.Should().BeFalse();
        compiled.IsValid.Should().BeFalse();
        compiled.Issues.Should().ContainSingle().Which.Should().Be(
            new ArvoSchemaIssue("$", "required", "an object with the schema's required properties", "a value that is not such an object"));
        reference.Issues.Should().Equal(compiled.Issues);
    }
}
