using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Events;

/// <summary>The creation path (<c>createArvoEvent</c>): scenarios W-1, W-2 (time), W-4, W-5 (factory part), W-8 (generated time).</summary>
public sealed class ArvoEventCreateTests
{
    private static ArvoEventInit HelloInit => new()
    {
        Source = "test.producer",
        Type = "cmd.saad.test",
        Subject = "test.json",
        Data = new JsonObject { ["message"] = "Hello, World!" },
    };

    // W-1
    [Fact]
    public void Create_WithoutTo_DefaultsToToType()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit);

        arvoEvent.To.Should().Be("cmd.saad.test");
    }

    // W-1
    [Fact]
    public void Create_WithTo_AppliesReferenceDefaults()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit with { To = "worker" });

        arvoEvent.Source.Should().Be("test.producer");
        arvoEvent.Type.Should().Be("cmd.saad.test");
        arvoEvent.Subject.Should().Be("test.json");
        arvoEvent.To.Should().Be("worker");
        JsonElement.DeepEquals(arvoEvent.Data, TestEvents.Json("""{"message":"Hello, World!"}""")).Should().BeTrue();
        arvoEvent.DataContentType.Should().Be("application/cloudevents+json;charset=UTF-8;profile=arvo");
        arvoEvent.SpecVersion.Should().Be("1.0");
        TestEvents.IsUuidV4(arvoEvent.Id).Should().BeTrue(arvoEvent.Id);
        arvoEvent.Time.Should().NotBeEmpty();
        arvoEvent.DataSchema.Should().BeNull();
        arvoEvent.AccessControl.Should().BeNull();
        arvoEvent.RedirectTo.Should().BeNull();
        arvoEvent.ExecutionUnits.Should().BeNull();
        arvoEvent.TraceParent.Should().BeNull();
        arvoEvent.TraceState.Should().BeNull();
        arvoEvent.ParentId.Should().BeNull();
        arvoEvent.Domain.Should().BeNull();
        arvoEvent.Extensions.Should().BeEmpty();
    }

    [Fact]
    public void Create_WithInjectedServices_UsesGeneratorAndClock()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit, TestEvents.DeterministicOptions());

        arvoEvent.Id.Should().Be("00000000-0000-4000-8000-000000000001");
        arvoEvent.Time.Should().Be("2025-01-01T00:00:00.000+00:00");
    }

    // W-2 (a): explicit time is kept verbatim.
    [Fact]
    public void Create_ExplicitTime_KeepsTextUnchanged()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit with
        {
            Id = ArvoEventId.DeveloperManaged("custom-id"),
            Time = "2023-05-01T12:00:00Z",
        });

        arvoEvent.Id.Should().Be("custom-id");
        arvoEvent.Time.Should().Be("2023-05-01T12:00:00Z");
    }

    // W-8: generated time is the true UTC instant, formatted with milliseconds and +00:00, even on a UTC+5 host.
    [Fact]
    public void Create_ClockInNonUtcZone_WritesTrueUtcInstant()
    {
        var clock = new FixedTimeProvider(
            new DateTimeOffset(2026, 11, 25, 11, 54, 15, 188, TimeSpan.FromHours(5)),
            FixedTimeProvider.UtcPlusFive);

        var arvoEvent = ArvoEvent.Create(HelloInit, new ArvoEventCreationOptions { TimeProvider = clock });

        arvoEvent.Time.Should().Be("2026-11-25T06:54:15.188+00:00");
    }

    // W-4
    [Theory]
    [InlineData("test source with spaces", "test%20source%20with%20spaces")]
    [InlineData("a%20b", "a%2520b")]
    [InlineData("x%2Fy", "x%252Fy")]
    [InlineData("test.producer", "test.producer")]
    public void Create_Source_IsEncodedWithEncodeUri(string source, string expected)
    {
        var arvoEvent = ArvoEvent.Create(HelloInit with { Source = source });

        arvoEvent.Source.Should().Be(expected);
    }

    // W-4
    [Fact]
    public void Create_ReservedCharacters_AreLeftUnchanged()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit with
        {
            Subject = "test/subject",
            To = "recipient@example.com",
            RedirectTo = "https://example.com/redirect?param=value",
            ParentId = "parent event with spaces",
        });

        arvoEvent.Subject.Should().Be("test/subject");
        arvoEvent.To.Should().Be("recipient@example.com");
        arvoEvent.RedirectTo.Should().Be("https://example.com/redirect?param=value");
        arvoEvent.ParentId.Should().Be("parent%20event%20with%20spaces");
    }

    [Fact]
    public void Create_DataSchemaAndSubjectWithSpaces_AreEncoded()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit with { Subject = "a b", DataSchema = "#/my contract/0.0.1" });

        arvoEvent.Subject.Should().Be("a%20b");
        arvoEvent.DataSchema.Should().Be("#/my%20contract/0.0.1");
    }

    [Fact]
    public void Create_NothingToEncode_KeepsTheSameStringInstances()
    {
        var init = HelloInit with { To = "worker", ParentId = "p-1" };

        var arvoEvent = ArvoEvent.Create(init);

        arvoEvent.Source.Should().BeSameAs(init.Source);
        arvoEvent.Subject.Should().BeSameAs(init.Subject);
        arvoEvent.To.Should().BeSameAs(init.To);
        arvoEvent.ParentId.Should().BeSameAs(init.ParentId);
    }

    [Fact]
    public void Create_LoneSurrogateInSource_ThrowsNamingSource()
    {
        var act = () => ArvoEvent.Create(HelloInit with { Source = "a\ud800" });

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("source");
    }

    // W-5
    [Fact]
    public void Create_EmptyRedirectTo_BecomesNull()
    {
        ArvoEvent.Create(HelloInit with { RedirectTo = "" }).RedirectTo.Should().BeNull();
    }

    // W-5
    [Fact]
    public void Create_EmptyTo_BecomesType()
    {
        ArvoEvent.Create(HelloInit with { To = "" }).To.Should().Be("cmd.saad.test");
    }

    [Fact]
    public void Create_EmptyDataSchemaAndParentId_BecomeNull()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit with { DataSchema = "", ParentId = "" });

        arvoEvent.DataSchema.Should().BeNull();
        arvoEvent.ParentId.Should().BeNull();
    }

    // W-5
    [Fact]
    public void Create_ZeroExecutionUnits_KeepsZero()
    {
        ArvoEvent.Create(HelloInit with { ExecutionUnits = 0 }).ExecutionUnits.Should().Be(0);
    }

    [Fact]
    public void Create_FractionalExecutionUnits_KeepsFraction()
    {
        ArvoEvent.Create(HelloInit with { ExecutionUnits = 0.5 }).ExecutionUnits.Should().Be(0.5);
    }

    // W-5
    [Fact]
    public void Create_EmptyAccessControl_ThrowsNamingAccessControl()
    {
        var act = () => ArvoEvent.Create(HelloInit with { AccessControl = "" });

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("accesscontrol");
    }

    // W-5
    [Fact]
    public void Create_EmptyDomain_ThrowsNonEmptyMessage()
    {
        var act = () => ArvoEvent.Create(HelloInit with { Domain = "" });

        act.Should().Throw<ArvoEventValidationException>()
            .Where(e => e.Attribute == "domain")
            .WithMessage("*Domain must be non-empty string*");
    }

    // W-5
    [Fact]
    public void Create_UpperCaseDomain_ThrowsCharacterMessage()
    {
        var act = () => ArvoEvent.Create(HelloInit with { Domain = "test.test.TEST" });

        act.Should().Throw<ArvoEventValidationException>()
            .Where(e => e.Attribute == "domain")
            .WithMessage("*Domain must contain only lowercase letters, numbers, and dots*");
    }

    // W-5: data must be a JSON object.
    [Fact]
    public void Create_ArrayData_ThrowsNamingData()
    {
        var act = () => ArvoEvent.Create(HelloInit with { Data = new[] { 1, 2 } });

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Create_NonObjectJsonElement_ThrowsNamingData(string json)
    {
        using var document = JsonDocument.Parse(json);

        var act = () => ArvoEvent.Create(HelloInit with { Data = document.RootElement });

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    // W-5: non-serialisable data (a cycle) is rejected with the typed exception.
    [Fact]
    public void Create_CyclicData_ThrowsNamingData()
    {
        var node = new Node();
        node.Next = node;

        var act = () => ArvoEvent.Create(HelloInit with { Data = node });

        act.Should().Throw<ArvoEventValidationException>()
            .Which.Should().Match<ArvoEventValidationException>(e => e.Attribute == "data" && e.InnerException is JsonException);
    }

    [Fact]
    public void Create_NaNInData_ThrowsNamingData()
    {
        var act = () => ArvoEvent.Create(HelloInit with { Data = new { value = double.NaN } });

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    [Fact]
    public void Create_PocoData_UsesWebDefaults()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit with { Data = new Payload("Saad Ahmad", 26) });

        arvoEvent.Data.GetRawText().Should().Be("""{"name":"Saad Ahmad","age":26}""");
        arvoEvent.GetData<Payload>().Should().Be(new Payload("Saad Ahmad", 26));
    }

    [Fact]
    public void Create_PocoDataWithCallerOptions_UsesCallerOptions()
    {
        var options = new ArvoEventCreationOptions { SerializerOptions = new JsonSerializerOptions() };

        var arvoEvent = ArvoEvent.Create(HelloInit with { Data = new Payload("x", 1) }, options);

        arvoEvent.Data.GetRawText().Should().Be("""{"Name":"x","Age":1}""");
    }

    [Fact]
    public void Create_JsonElementFromDisposedDocument_DataStaysReadable()
    {
        ArvoEvent arvoEvent;
        using (var document = JsonDocument.Parse("""{"delta":1}"""))
        {
            arvoEvent = ArvoEvent.Create(HelloInit with { Data = document.RootElement });
        }

        arvoEvent.Data.GetProperty("delta").GetInt32().Should().Be(1);
    }

    [Fact]
    public void Create_JsonObjectMutatedAfterwards_EventDataUnchanged()
    {
        var data = new JsonObject { ["delta"] = 1 };

        var arvoEvent = ArvoEvent.Create(HelloInit with { Data = data });
        data["delta"] = 2;

        arvoEvent.Data.GetProperty("delta").GetInt32().Should().Be(1);
    }

    [Fact]
    public void Create_NullInit_ThrowsArgumentNull()
    {
        var act = () => ArvoEvent.Create(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Create_NullRequiredMembers_ThrowsTypedNotNullReference()
    {
        var init = new ArvoEventInit { Source = null!, Type = "a.b.c", Subject = "s", Data = new JsonObject() };

        var act = () => ArvoEvent.Create(init);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("source");
    }

    [Fact]
    public void Create_NonArvoContentTypeWithoutTo_StillDefaultsToType()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit with { DataContentType = "application/json" });

        arvoEvent.DataContentType.Should().Be("application/json");
        arvoEvent.To.Should().Be("cmd.saad.test");
    }

    [Fact]
    public void Create_Extensions_AreNormalisedAndOrdered()
    {
        var arvoEvent = ArvoEvent.Create(HelloInit with
        {
            Extensions = new Dictionary<string, object?> { ["zeta"] = 3, ["alpha"] = "x", ["flag"] = true },
        });

        arvoEvent.Extensions.Keys.Should().Equal("zeta", "alpha", "flag");
        arvoEvent.Extensions["zeta"].Should().Be(3.0);
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    private sealed record Payload(string Name, int Age);
}
