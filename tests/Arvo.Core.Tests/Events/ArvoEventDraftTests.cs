using System.Text.Json;
using Arvo.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Events;

/// <summary><see cref="ArvoEvent.Create(in ArvoEventDraft, ArvoEventCreationOptions?)"/>: the stack-value creation path gives what the init path gives.</summary>
public sealed class ArvoEventDraftTests
{
    [Fact]
    public void Create_FromDraft_WritesTheSameJsonAsTheInitPath()
    {
        var data = JsonSerializer.SerializeToElement(new { delta = 2, label = "a b" });
        var extensions = new[] { new KeyValuePair<string, object?>("custom", "x") };
        var fromInit = ArvoEvent.Create(
            new ArvoEventInit
            {
                Source = "com.test service",
                Type = "com.number.increment",
                Subject = "subject one",
                Data = data,
                DataSchema = "#/test/contract/1.0.0",
                To = "com.number increment",
                AccessControl = "role:admin",
                RedirectTo = "arvo.orc.test",
                ExecutionUnits = 2.5,
                TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                TraceState = "vendor=1",
                ParentId = "parent id",
                Domain = "human.review",
                Extensions = extensions,
            },
            TestEvents.DeterministicOptions());
        var fromDraft = ArvoEvent.Create(
            new ArvoEventDraft
            {
                Source = "com.test service",
                Type = "com.number.increment",
                Subject = "subject one",
                Data = data,
                DataSchema = "#/test/contract/1.0.0",
                To = "com.number increment",
                AccessControl = "role:admin",
                RedirectTo = "arvo.orc.test",
                ExecutionUnits = 2.5,
                TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                TraceState = "vendor=1",
                ParentId = "parent id",
                Domain = "human.review",
                Extensions = extensions,
            },
            TestEvents.DeterministicOptions());

        fromDraft.ToJson().Should().Be(fromInit.ToJson());
        fromDraft.Source.Should().Be("com.test%20service");
        fromDraft.Id.Should().Be("00000000-0000-4000-8000-000000000001");
        fromDraft.Time.Should().Be("2025-01-01T00:00:00.000+00:00");
        fromDraft.Extensions["custom"].Should().Be("x");
    }

    [Fact]
    public void Create_FromDraftWithOnlyTheRequiredMembers_AppliesTheReferenceDefaults()
    {
        var evt = ArvoEvent.Create(new ArvoEventDraft
        {
            Source = "test.producer",
            Type = "cmd.saad.test",
            Subject = "test.json",
            Data = TestEvents.Json("""{"message":"Hello"}"""),
        });

        evt.To.Should().Be("cmd.saad.test");
        evt.DataContentType.Should().Be(ArvoEvent.ArvoContentType);
        evt.SpecVersion.Should().Be("1.0");
        TestEvents.IsUuidV4(evt.Id).Should().BeTrue(evt.Id);
        evt.DataSchema.Should().BeNull();
        evt.RedirectTo.Should().BeNull();
        evt.ParentId.Should().BeNull();
        evt.Extensions.Should().BeEmpty();
    }

    [Fact]
    public void Create_FromDraftWithDataOfADisposableDocument_KeepsItsOwnCopy()
    {
        ArvoEvent evt;
        using (var document = JsonDocument.Parse("""{"value":7}"""))
        {
            evt = ArvoEvent.Create(new ArvoEventDraft { Source = "s", Type = "com.test.event", Subject = "x", Data = document.RootElement });
        }

        evt.Data.GetProperty("value").GetInt32().Should().Be(7);
    }

    [Fact]
    public void Create_FromDraftWithDetachedData_SharesTheImmutableElement()
    {
        var data = JsonSerializer.SerializeToElement(new { value = 7 });

        var evt = ArvoEvent.Create(new ArvoEventDraft { Source = "s", Type = "com.test.event", Subject = "x", Data = data });

        evt.Data.GetRawText().Should().Be("""{"value":7}""");
        JsonElement.DeepEquals(evt.Data, data).Should().BeTrue();
    }

    [Theory]
    [InlineData("[1,2]", "actual array")]
    [InlineData("\"text\"", "actual string")]
    [InlineData("null", "actual null")]
    public void Create_FromDraftWithDataThatIsNotAnObject_ThrowsNamingTheDataAttribute(string json, string kind)
    {
        var act = () => ArvoEvent.Create(new ArvoEventDraft { Source = "s", Type = "com.test.event", Subject = "x", Data = TestEvents.Json(json) });

        var error = act.Should().Throw<ArvoEventValidationException>().Which;
        error.Attribute.Should().Be("data");
        error.Expected.Should().Be("a JSON object");
        error.Message.Should().Contain(kind);
    }

    [Fact]
    public void Create_FromDraftWithoutData_ThrowsNamingTheDataAttribute()
    {
        var act = () => ArvoEvent.Create(new ArvoEventDraft { Source = "s", Type = "com.test.event", Subject = "x", Data = default });

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    [Fact]
    public void Create_FromDraftWithAnEmptyAccessControl_ThrowsAsTheInitPathDoes()
    {
        var draft = new ArvoEventDraft { Source = "s", Type = "com.test.event", Subject = "x", Data = TestEvents.Json("{}"), AccessControl = string.Empty };
        var init = new ArvoEventInit { Source = "s", Type = "com.test.event", Subject = "x", Data = TestEvents.Json("{}"), AccessControl = string.Empty };

        var fromDraft = FluentActions.Invoking(() => ArvoEvent.Create(draft)).Should().Throw<ArvoEventValidationException>().Which;
        var fromInit = FluentActions.Invoking(() => ArvoEvent.Create(init)).Should().Throw<ArvoEventValidationException>().Which;

        fromDraft.Attribute.Should().Be("accesscontrol");
        fromDraft.Message.Should().Be(fromInit.Message);
    }
}
