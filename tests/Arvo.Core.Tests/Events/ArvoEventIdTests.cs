using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Events;

/// <summary>Event ids (wire-format.md section 5): scenario W-2 and Example E.</summary>
public sealed class ArvoEventIdTests
{
    private static ArvoEventInit Init(ArvoEventId? id) => new()
    {
        Source = "test.producer",
        Type = "cmd.saad.test",
        Subject = "test.json",
        Data = new JsonObject(),
        Id = id,
    };

    [Fact]
    public void Create_NoRequest_ReturnsGeneratorUuid()
    {
        ArvoEventId.Create(null, new SequenceIdGenerator()).Should().Be("00000000-0000-4000-8000-000000000001");
        TestEvents.IsUuidV4(ArvoEventId.Create(null)).Should().BeTrue();
    }

    // W-2 (a)
    [Fact]
    public void Create_DeveloperManaged_UsesValue()
    {
        ArvoEvent.Create(Init(ArvoEventId.DeveloperManaged("custom-id"))).Id.Should().Be("custom-id");
    }

    // W-2 (a)
    [Fact]
    public void Create_DeveloperManagedWithSurroundingWhitespace_Trims()
    {
        ArvoEvent.Create(Init(ArvoEventId.DeveloperManaged("  abc  "))).Id.Should().Be("abc");
    }

    [Fact]
    public void Create_DeveloperManagedWithJavaScriptWhitespace_TrimsLikeJavaScript()
    {
        ArvoEventId.DeveloperManaged("\uFEFF\u00A0abc\u2028\t").Create().Should().Be("abc");
        ArvoEventId.DeveloperManaged("\u0085abc").Create().Should().Be("\u0085abc");
    }

    // W-2 (a)
    [Theory]
    [InlineData("   ")]
    [InlineData("")]
    [InlineData("\t\n")]
    public void Create_BlankValue_GeneratesUuid(string value)
    {
        var options = new ArvoEventCreationOptions { IdGenerator = new SequenceIdGenerator() };

        ArvoEvent.Create(Init(ArvoEventId.DeveloperManaged(value)), options).Id.Should().Be("00000000-0000-4000-8000-000000000001");
        TestEvents.IsUuidV4(ArvoEvent.Create(Init(ArvoEventId.ArvoManaged(value))).Id).Should().BeTrue();
    }

    // W-2 (b)
    [Fact]
    public void Create_ArvoManaged_EmbedsValueAndUuid()
    {
        var id = ArvoEvent.Create(Init(ArvoEventId.ArvoManaged("custom-id"))).Id;

        id.Should().NotBe("custom-id");
        ArvoManagedEventId.TryParse(id, out var parsed, out var error).Should().BeTrue();
        error.Should().BeNull();
        parsed.Value.Should().Be("custom-id");
        TestEvents.IsUuidV4(parsed.Uuid).Should().BeTrue(parsed.Uuid);
    }

    // W-2 (b): the inflated JSON has exactly the keys uuid, value (in that order, compact).
    [Fact]
    public void Create_ArvoManaged_InflatesToCompactUuidValueJson()
    {
        var id = ArvoEventId.ArvoManaged("  custom-id ").Create(new SequenceIdGenerator());

        var json = Inflate(id);

        json.Should().Be("""{"uuid":"00000000-0000-4000-8000-000000000001","value":"custom-id"}""");
        id.Should().StartWith("eJ");
    }

    [Fact]
    public void Create_ArvoManagedTwice_GivesDistinctIds()
    {
        var request = ArvoEventId.ArvoManaged("order-42");

        request.Create().Should().NotBe(request.Create());
    }

    // W-2 (c)
    [Fact]
    public void TryParse_PlainUuid_ReturnsFalseWithError()
    {
        const string uuid = "b0f4afcb-28bd-47e0-96ba-faed3bf09641";

        ArvoManagedEventId.TryParse(uuid, out var parsed, out var error).Should().BeFalse();

        error.Should().NotBeNullOrEmpty();
        parsed.Should().Be(default(ArvoManagedEventId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("evt-0001")]
    [InlineData("eJwLycxLVSjOz01VSM7PS0lNLlEoSi0uySxKzMlRBAB0nAlw")]
    public void TryParse_NotArvoManaged_ReturnsFalse(string id)
    {
        ArvoManagedEventId.TryParse(id, out _, out var error).Should().BeFalse();
        error.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Parse_PlainUuid_ThrowsFormatException()
    {
        var act = () => ArvoManagedEventId.Parse("b0f4afcb-28bd-47e0-96ba-faed3bf09641");

        act.Should().Throw<FormatException>();
    }

    // Example E (wire-format.md section 12): the reference's literal ARVO_MANAGED id.
    [Fact]
    public void Parse_ReferenceExampleE_ReturnsUuidAndValue()
    {
        const string id = "eJyrViotzUxRslJKMkgzSUxLTtI1skhK0TUxTzXQtTRLStRNS0xNMU5KM7A0MzFU0lEqS8wpTQUqzy9KSS3SNTFSqgUAlAMTiQ==";

        var parsed = ArvoManagedEventId.Parse(id);

        parsed.Should().Be(new ArvoManagedEventId("b0f4afcb-28bd-47e0-96ba-faed3bf09641", "order-42"));
    }

    [Fact]
    public void Create_ArvoManagedWithQuotesAndUnicode_RoundTrips()
    {
        var id = ArvoEventId.ArvoManaged("a \"b\" é 😀").Create();

        ArvoManagedEventId.Parse(id).Value.Should().Be("a \"b\" é 😀");
    }

    [Fact]
    public void Create_ArvoManagedLoneSurrogate_ThrowsNamingIdInsteadOfReplacingIt()
    {
        var act = () => ArvoEventId.ArvoManaged("a\ud800").Create();

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("id");
    }

    private static string Inflate(string id)
    {
        using var input = new MemoryStream(Convert.FromBase64String(id));
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(zlib);
        var json = reader.ReadToEnd();
        using var document = JsonDocument.Parse(json);
        document.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("uuid", "value");
        return json;
    }
}
