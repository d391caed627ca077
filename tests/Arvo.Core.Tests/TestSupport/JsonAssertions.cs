using System.Text.Json.Nodes;

namespace Arvo.Tests.TestSupport;

/// <summary>Deep JSON comparison with a readable failure message.</summary>
internal static class JsonAssertions
{
    public static void ShouldDeepEqual(this JsonNode? actual, JsonNode? expected)
    {
        JsonNode.DeepEquals(actual, expected).Should().BeTrue(
            "expected JSON {0} but found {1}",
            expected?.ToJsonString() ?? "null",
            actual?.ToJsonString() ?? "null");
    }
}
