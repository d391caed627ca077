using System.Text;
using System.Text.Json;
using Arvo.Internal;

namespace Arvo.Tests.Subjects;

/// <summary>The serializer-free reader of the usual subject JSON: the serializer's result, or null to let the serializer read.</summary>
public sealed class SubjectCodecSimpleReaderTests
{
    public static TheoryData<string> Handled => new()
    {
        """{"orchestrator":{"name":"arvo.orc.counter","version":"1.0.0"},"execution":{"id":"x","initiator":"com.a.b","domain":null},"meta":{}}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f","domain":"root.dom"},"meta":{"redirectto":"a.b.c","k":"v"}}""",
        """ { "meta" : { } , "execution" : { "initiator" : "d.e.f" , "id" : "x" } , "orchestrator" : { "version" : "1.0.0" , "name" : "a.b.c" } } """,
        """{"orchestrator":{"name":null,"version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}""",
        """{"orchestrator":{"name":"a.b.c"},"execution":{},"meta":{}}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"é","initiator":"d.e.f","domain":null},"meta":{"ключ":"значение"}}""",
        """{}""",
    };

    public static TheoryData<string> LeftToTheSerializer => new()
    {
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f","domain":null},"meta":{},"extra":1}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0","x":true},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f","y":[]},"meta":{}}""",
        """{"orchestrator":null,"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":null}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{"k":null}}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{"k":"1","k":"2"}}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"orchestrator":{"name":"a.b.d","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}""",
        """{"orchestrator":{"name":"a.b.c","name":"a.b.d","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}""",
        """{"orchestrator":{"name":"a\u002eb.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"\ud800","initiator":"d.e.f"},"meta":{}}""",
        """{"orchestrator":{"n\u0061me":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}""",
        """{"orchestrator":{"name":7,"version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}} x""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}""",
        """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{},}""",
        """{"Orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}""",
        """[]""",
        """null""",
    };

    [Theory]
    [MemberData(nameof(Handled))]
    public void TryRead_UsualShape_GivesWhatTheSerializerGives(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);

        var simple = SubjectCodec.SimpleReader.TryRead(utf8);
        var serialized = JsonSerializer.Deserialize(utf8, SubjectJsonContext.Default.NullableSubjectJson);

        simple.Should().NotBeNull();
        serialized.Should().NotBeNull();
        Describe(simple!.Value).Should().Be(Describe(serialized!.Value));
    }

    [Theory]
    [MemberData(nameof(LeftToTheSerializer))]
    public void TryRead_AnythingElse_GivesUp(string json)
    {
        SubjectCodec.SimpleReader.TryRead(Encoding.UTF8.GetBytes(json)).Should().BeNull();
    }

    /// <summary>Every field the codec reads, with its presence flag.</summary>
    private static string Describe(SubjectJson json)
    {
        var text = new StringBuilder();
        text.Append($"orchestrator:{json.HasOrchestrator}/{json.Orchestrator is not null};");
        if (json.Orchestrator is { } o)
        {
            text.Append($"name:{o.HasName}/{o.Name ?? "<null>"};version:{o.HasVersion}/{o.Version ?? "<null>"};extras:{o.Extras?.Count};");
        }

        text.Append($"execution:{json.HasExecution}/{json.Execution is not null};");
        if (json.Execution is { } e)
        {
            text.Append($"id:{e.HasId}/{e.Id ?? "<null>"};initiator:{e.HasInitiator}/{e.Initiator ?? "<null>"};domain:{e.HasDomain}/{e.Domain ?? "<null>"};extras:{e.Extras?.Count};");
        }

        text.Append($"meta:{json.HasMeta}/{json.Meta is not null};");
        foreach (var (key, value) in json.Meta ?? [])
        {
            text.Append($"{key}={value};");
        }

        text.Append($"extras:{json.Extras?.Count}");
        return text.ToString();
    }
}
