using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Events;

/// <summary>
/// Every event of <c>shared/spec/vectors/events.json</c> (each <c>wire</c> string and each event object:
/// <c>json</c>, <c>input</c> and emitted <c>events</c>) parses and re-serializes to an equivalent JSON document.
/// </summary>
public sealed class ArvoEventVectorTests
{
    public static TheoryData<string> WireEventPaths => [.. Collect().Where(v => v.IsWire).Select(v => v.Path)];

    public static TheoryData<string> ObjectEventPaths => [.. Collect().Where(v => !v.IsWire).Select(v => v.Path)];

    [Fact]
    public void Vectors_EventsFile_ContainsTheExpectedEventCounts()
    {
        var vectors = Collect();

        vectors.Count(v => v.IsWire).Should().Be(18);
        vectors.Count(v => !v.IsWire).Should().Be(28);
    }

    [Theory]
    [MemberData(nameof(WireEventPaths))]
    public void Parse_WireString_ReserializesToEquivalentJson(string path)
    {
        var wire = Find(path).Text!;

        var fromText = ArvoEventJson.Parse(wire);
        var fromUtf8 = ArvoEventJson.Parse(Encoding.UTF8.GetBytes(wire));

        JsonNode.DeepEquals(JsonNode.Parse(fromText.ToJson()), JsonNode.Parse(wire)).Should().BeTrue(path);
        JsonNode.DeepEquals(JsonNode.Parse(ArvoEventJson.SerializeToUtf8Bytes(fromUtf8)), JsonNode.Parse(wire)).Should().BeTrue(path);
        fromUtf8.Should().Be(fromText);
    }

    [Theory]
    [MemberData(nameof(ObjectEventPaths))]
    public void Parse_EventObject_ReserializesToEquivalentJson(string path)
    {
        var node = Find(path).Node!;
        using var document = JsonDocument.Parse(node.ToJsonString());

        var fromElement = ArvoEventJson.Parse(document.RootElement);

        JsonNode.DeepEquals(JsonNode.Parse(fromElement.ToJson()), node).Should().BeTrue(path);
        ArvoEvent.FromCloudEvent(fromElement.ToCloudEvent()).Should().Be(fromElement);
    }

    [Fact]
    public void Parse_WireAndJsonOfSameEvent_GiveEqualEvents()
    {
        var vectors = SpecVectors.Load("events.json");
        var entry = vectors["counter_workflow"]![0]!;

        var fromWire = ArvoEventJson.Parse(entry["wire"]!.GetValue<string>());
        var fromJson = ArvoEventJson.Parse(entry["json"]!.ToJsonString());

        fromWire.Should().Be(fromJson);
        fromWire.DataSchema.Should().Be("#/test/machine/0.0.1");
        fromWire.To.Should().Be("arvo.orc.counter");
        fromWire.Time.Should().Be("2026-11-25T06:51:15.972+00:00");
    }

    private static (bool IsWire, string Path, string? Text, JsonNode? Node) Find(string path) =>
        Collect().Single(v => v.Path == path);

    private static List<(bool IsWire, string Path, string? Text, JsonNode? Node)> Collect()
    {
        var found = new List<(bool, string, string?, JsonNode?)>();
        Walk(SpecVectors.Load("events.json"), "$", found);
        return found;
    }

    // Iterative walk (the vectors are small, but keep to the no-unbounded-recursion habit).
    private static void Walk(JsonNode root, string rootPath, List<(bool, string, string?, JsonNode?)> found)
    {
        var stack = new Stack<(JsonNode Node, string Path)>();
        stack.Push((root, rootPath));
        while (stack.Count > 0)
        {
            var (node, path) = stack.Pop();
            switch (node)
            {
                case JsonObject obj:
                    if (obj.ContainsKey("specversion"))
                    {
                        found.Add((false, path, null, obj));
                    }

                    foreach (var (key, value) in obj)
                    {
                        if (key == "wire" && value is JsonValue wire)
                        {
                            found.Add((true, path + ".wire", wire.GetValue<string>(), null));
                        }
                        else if (value is not null)
                        {
                            stack.Push((value, path + "." + key));
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is { } item)
                        {
                            stack.Push((item, $"{path}[{i}]"));
                        }
                    }

                    break;
            }
        }
    }
}

