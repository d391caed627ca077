using System.IO.Compression;
using System.Text;
using Arvo.Subjects;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Subjects;

/// <summary>Hostile and malformed subject strings: every failure is a typed, bounded error.</summary>
public sealed class SubjectUntrustedInputTests
{
    private const string ValidJson = """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f","domain":null},"meta":{}}""";

    // wire-format.md Example C2: contains '+' and '/'.
    private const string C2 = "eJwlzVsKwyAQheG9zHMUzaVtspvpZEIHooIxUpDsvUP6ej44f4OU6cNHyVhShqVBxMCwAOaarJotitBB5XxIiirOOuvh6oC/TGe5xwayKg2b33oc2by2icxIA5sZp9n09Fg9u/cTvdcviVLk3wNK4U7Yg3MVYuU1BRQ9jee+ayZwQS1c1w/oxTfx";

    [Fact]
    public void Parse_CompressionBombOfTenMegabytes_ThrowsTooLargeWithoutInflatingIt()
    {
        var json = new byte[10 * 1024 * 1024];
        json.AsSpan().Fill((byte)' ');
        json[0] = (byte)'{';
        json[^1] = (byte)'}';
        var bomb = SubjectText.EncodeBytes(json, CompressionLevel.SmallestSize);
        bomb.Length.Should().BeLessThan(ArvoSubjectOptions.DefaultMaxSubjectLength, "the size bound, not the length bound, must catch it");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => ArvoOrchestrationSubject.Parse(bomb);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        error.Kind.Should().Be(ArvoSubjectErrorKind.TooLarge);
        error.Message.Should().Be(
            "Error parsing orchestration subject string to the context. Expected content of at most 65536 bytes once inflated, found more than 65536 bytes.");
        allocated.Should().BeLessThan(1024 * 1024);
    }

    [Fact]
    public void Parse_ContentExactlyAtTheLimit_IsAccepted()
    {
        var padded = ValidJson + new string(' ', 100);
        var options = new ArvoSubjectOptions { MaxContentBytes = padded.Length };

        ArvoOrchestrationSubject.Parse(SubjectText.Encode(padded), options).Execution.Id.Should().Be("x");
    }

    [Fact]
    public void Parse_ContentOneByteOverTheLimit_ThrowsTooLarge()
    {
        var padded = ValidJson + new string(' ', 100);
        var options = new ArvoSubjectOptions { MaxContentBytes = padded.Length - 1 };

        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.Encode(padded), options);

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.TooLarge);
    }

    [Fact]
    public void Parse_SubjectLongerThanTheDefaultLimit_ThrowsTooLongBeforeDecoding()
    {
        var subject = new string('A', ArvoSubjectOptions.DefaultMaxSubjectLength + 1);

        var act = () => ArvoOrchestrationSubject.Parse(subject);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Kind.Should().Be(ArvoSubjectErrorKind.TooLong);
        error.Message.Should().Be(
            "Error parsing orchestration subject string to the context. Expected a subject of at most 65536 characters, found 65537 characters.");
    }

    [Fact]
    public void Parse_ValidSubjectLongerThanAConfiguredLimit_ThrowsTooLong()
    {
        var options = new ArvoSubjectOptions { MaxSubjectLength = C2.Length - 1 };

        var act = () => ArvoOrchestrationSubject.Parse(C2, options);

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.TooLong);
    }

    [Fact]
    public void Parse_UrlSafeAlphabetWithoutPadding_DecodesLikeStandardBase64()
    {
        C2.Should().Contain("+").And.Contain("/");
        var urlSafe = C2.Replace('+', '-').Replace('/', '_').TrimEnd('=');

        ArvoOrchestrationSubject.Parse(urlSafe).ToJsonString().Should().Be(ArvoOrchestrationSubject.Parse(C2).ToJsonString());
    }

    [Fact]
    public void Parse_StandardAlphabetWithoutPadding_Decodes()
    {
        var subject = SubjectText.Encode(ValidJson).TrimEnd('=');

        ArvoOrchestrationSubject.IsValid(subject).Should().BeTrue();
    }

    [Fact]
    public void Parse_StoredBlocksWithoutCompression_Decodes()
    {
        var subject = SubjectText.EncodeBytes(Encoding.UTF8.GetBytes(ValidJson), CompressionLevel.NoCompression);

        ArvoOrchestrationSubject.Parse(subject).Orchestrator.Name.Should().Be("a.b.c");
    }

    [Theory]
    [InlineData("eJ!@")]
    [InlineData("eJwl zVsK")]
    [InlineData("eJwl\nzVsK")]
    [InlineData("a")]
    [InlineData("=====")]
    [InlineData("ab=c")]
    [InlineData("é")]
    public void Parse_MalformedBase64_ThrowsInvalidBase64(string subject)
    {
        var act = () => ArvoOrchestrationSubject.Parse(subject);

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidBase64);
    }

    [Fact]
    public void Parse_Base64OfNonZlibBytes_ThrowsInvalidZlib()
    {
        var act = () => ArvoOrchestrationSubject.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(ValidJson)));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidZlib);
    }

    [Fact]
    public void Parse_RawDeflateWithoutZlibHeader_ThrowsInvalidZlib()
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(ValidJson));
        }

        var act = () => ArvoOrchestrationSubject.Parse(Convert.ToBase64String(output.ToArray()));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidZlib);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(20)]
    public void Parse_TruncatedZlibStream_ThrowsInvalidZlib(int missingBytes)
    {
        var stream = SubjectText.Compress(Encoding.UTF8.GetBytes(ValidJson));

        var act = () => ArvoOrchestrationSubject.Parse(Convert.ToBase64String(stream[..^missingBytes]));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidZlib);
    }

    [Fact]
    public void Parse_BytesAfterTheZlibStream_ThrowsInvalidZlib()
    {
        var stream = SubjectText.Compress(Encoding.UTF8.GetBytes(ValidJson));

        var act = () => ArvoOrchestrationSubject.Parse(Convert.ToBase64String([.. stream, 0, 1, 2]));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidZlib);
    }

    [Fact]
    public void Parse_CorruptedChecksum_ThrowsInvalidZlib()
    {
        var stream = SubjectText.Compress(Encoding.UTF8.GetBytes(ValidJson));
        stream[^1] ^= 0x01;

        var act = () => ArvoOrchestrationSubject.Parse(Convert.ToBase64String(stream));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidZlib);
    }

    [Fact]
    public void Parse_InvalidUtf8_ThrowsInvalidUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidJson.Replace("\"x\"", "\"x\u00e9\"", StringComparison.Ordinal));
        var index = Array.IndexOf(bytes, (byte)0xC3);
        bytes[index + 1] = 0x28; // 0xC3 0x28 is not UTF-8

        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.EncodeBytes(bytes));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidUtf8);
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"text\"", "\"text\"")]
    [InlineData("42", "a number")]
    [InlineData("null", "null")]
    [InlineData("true", "true")]
    public void Parse_NonObjectJson_ThrowsInvalidContentAtTheRoot(string json, string actual)
    {
        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.Encode(json));

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidContent);
        error.Field.Should().Be("$");
        error.Actual.Should().Be(actual);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("{\"orchestrator\":")]
    [InlineData("{} {}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{/* c */}")]
    [InlineData("\uFEFF{}")]
    [InlineData("{'a':1}")]
    public void Parse_MalformedJson_ThrowsInvalidJson(string json)
    {
        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.Encode(json));

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidJson);
        error.InnerException.Should().NotBeNull();
    }

    [Fact]
    public void Parse_EmptyZlibStream_ThrowsInvalidJson()
    {
        // 78 9C | 03 00 (empty final block) | 00 00 00 01 (Adler-32 of nothing)
        var act = () => ArvoOrchestrationSubject.Parse("eJwDAAAAAAE=");

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidJson);
    }

    [Fact]
    public void Parse_ValidContentFollowedByTrailingJson_ThrowsInvalidJson()
    {
        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.Encode(ValidJson + "[]"));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidJson);
    }

    [Fact]
    public void Parse_ExtraNestedDeeperThanTheLimit_ThrowsInvalidJson()
    {
        var deep = new string('[', 70) + new string(']', 70);
        var json = ValidJson[..^1] + ",\"deep\":" + deep + "}";

        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.Encode(json));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidJson);
    }

    [Fact]
    public void Parse_ExtraNestedToTheLimit_IsAcceptedAndReencoded()
    {
        var nested = new string('[', ArvoSubjectOptions.MaxJsonDepth - 1) + new string(']', ArvoSubjectOptions.MaxJsonDepth - 1);
        var json = ValidJson[..^1] + ",\"deep\":" + nested + "}";

        var content = ArvoOrchestrationSubject.Parse(SubjectText.Encode(json));

        SubjectText.DecodeText(ArvoOrchestrationSubject.Create(content)).Should().Be(json);
    }

    [Fact]
    public void Parse_EscapedLoneSurrogate_ThrowsInvalidJson()
    {
        var json = ValidJson.Replace("\"meta\":{}", "\"meta\":{\"k\":\"\\ud800\"}", StringComparison.Ordinal);

        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.Encode(json));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.InvalidJson);
    }

    [Fact]
    public void Parse_EscapedSurrogatePairAndEscapedKeys_AreDecoded()
    {
        const string Json = """{"orchestrator":{"\u006eame":"a.b.c","version":"1.0.0"},"execution":{"id":"\ud83d\ude00","initiator":"d.e.f","domain":null},"meta":{"\u0041":"\"q\""}}""";

        var content = ArvoOrchestrationSubject.Parse(SubjectText.Encode(Json));

        content.Orchestrator.Name.Should().Be("a.b.c");
        content.Execution.Id.Should().Be("\U0001F600");
        content.Meta.Should().Equal(new Dictionary<string, string> { ["A"] = "\"q\"" });
    }

    [Fact]
    public void Parse_ManyDuplicateMetaKeys_KeepsOneEntryPerKey()
    {
        var entries = string.Join(",", Enumerable.Range(0, 2000).Select(i => $"\"k{i % 50}\":\"v{i}\""));
        var json = ValidJson.Replace("\"meta\":{}", "\"meta\":{" + entries + "}", StringComparison.Ordinal);

        var content = ArvoOrchestrationSubject.Parse(SubjectText.Encode(json));

        content.Meta.Should().HaveCount(50);
        content.Meta.Keys.First().Should().Be("k0");
        content.Meta["k0"].Should().Be("v1950");
        content.Meta["k49"].Should().Be("v1999");
    }
}
