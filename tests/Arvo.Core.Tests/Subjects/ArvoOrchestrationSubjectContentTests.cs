using System.Text.Json;
using Arvo.Subjects;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Subjects;

/// <summary>The content model: extra keys preserved anywhere, insertion-ordered read-only meta, JSON text.</summary>
public sealed class ArvoOrchestrationSubjectContentTests
{
    private const string JsonWithExtras =
        """{"pre":1,"orchestrator":{"name":"a.b.c","o1":{"x":[1,2.5,"s",null,true]},"version":"1.0.0"},"execution":{"id":"x","e1":"v","initiator":"d.e.f","domain":"dom","e2":[]},"meta":{"k":"v"},"post":{"nested":{"deep":false}}}""";

    [Fact]
    public void Parse_ExtraKeysAnywhere_AreExposedAsRawJson()
    {
        var content = ArvoOrchestrationSubject.Parse(SubjectText.Encode(JsonWithExtras));

        content.AdditionalProperties.Keys.Should().Equal("pre", "post");
        content.AdditionalProperties["pre"].GetInt32().Should().Be(1);
        content.AdditionalProperties["post"].GetRawText().Should().Be("""{"nested":{"deep":false}}""");
        content.Orchestrator.AdditionalProperties.Keys.Should().Equal("o1");
        content.Orchestrator.AdditionalProperties["o1"].GetRawText().Should().Be("""{"x":[1,2.5,"s",null,true]}""");
        content.Execution.AdditionalProperties.Keys.Should().Equal("e1", "e2");
        content.Execution.AdditionalProperties["e2"].ValueKind.Should().Be(JsonValueKind.Array);
    }

    [Fact]
    public void Create_ParsedContentWithExtras_WritesThemBackAfterTheKnownKeys()
    {
        var content = ArvoOrchestrationSubject.Parse(SubjectText.Encode(JsonWithExtras));

        var text = SubjectText.DecodeText(ArvoOrchestrationSubject.Create(content));

        text.Should().Be(
            """{"orchestrator":{"name":"a.b.c","version":"1.0.0","o1":{"x":[1,2.5,"s",null,true]}},"execution":{"id":"x","initiator":"d.e.f","domain":"dom","e1":"v","e2":[]},"meta":{"k":"v"},"pre":1,"post":{"nested":{"deep":false}}}""");
        SubjectText.Parse(text).ShouldDeepEqual(SubjectText.Parse(JsonWithExtras));
    }

    [Fact]
    public void Create_ExtrasGivenToConstructors_AreWrittenInOrder()
    {
        using var document = JsonDocument.Parse("""{"a":[1],"b":"two"}""");
        var a = document.RootElement.GetProperty("a");
        var b = document.RootElement.GetProperty("b");
        var content = new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator("a.b.c", "1.0.0", [KeyValuePair.Create("b", b)]),
            new ArvoSubjectExecution("x", "d.e.f", null, [KeyValuePair.Create("a", a)]),
            null,
            [KeyValuePair.Create("z", b), KeyValuePair.Create("y", a)]);

        SubjectText.DecodeText(ArvoOrchestrationSubject.Create(content)).Should().Be(
            """{"orchestrator":{"name":"a.b.c","version":"1.0.0","b":"two"},"execution":{"id":"x","initiator":"d.e.f","domain":null,"a":[1]},"meta":{},"z":"two","y":[1]}""");
    }

    [Fact]
    public void Constructor_ExtraFromADisposedDocument_IsClonedAndStillReadable()
    {
        ArvoOrchestrationSubjectContent content;
        using (var document = JsonDocument.Parse("""{"v":{"n":1}}"""))
        {
            content = new ArvoOrchestrationSubjectContent(
                new ArvoSubjectOrchestrator("a.b.c", "1.0.0"),
                new ArvoSubjectExecution("x", "d.e.f"),
                additionalProperties: [KeyValuePair.Create("v", document.RootElement.GetProperty("v"))]);
        }

        content.AdditionalProperties["v"].GetRawText().Should().Be("""{"n":1}""");
    }

    [Theory]
    [InlineData("orchestrator")]
    [InlineData("execution")]
    [InlineData("meta")]
    public void Constructor_ExtraNamedLikeAKnownRootKey_ThrowsArgumentException(string key)
    {
        var act = () => new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator("a.b.c", "1.0.0"),
            new ArvoSubjectExecution("x", "d.e.f"),
            additionalProperties: [KeyValuePair.Create(key, JsonElement.Parse("1"))]);

        act.Should().Throw<ArgumentException>().WithParameterName("additionalProperties").WithMessage($"'{key}' is a known key*");
    }

    [Theory]
    [InlineData("name")]
    [InlineData("version")]
    public void OrchestratorConstructor_ExtraNamedLikeAKnownKey_ThrowsArgumentException(string key)
    {
        var act = () => new ArvoSubjectOrchestrator("a.b.c", "1.0.0", [KeyValuePair.Create(key, JsonElement.Parse("1"))]);

        act.Should().Throw<ArgumentException>().WithParameterName("additionalProperties");
    }

    [Theory]
    [InlineData("id")]
    [InlineData("initiator")]
    [InlineData("domain")]
    public void ExecutionConstructor_ExtraNamedLikeAKnownKey_ThrowsArgumentException(string key)
    {
        var act = () => new ArvoSubjectExecution("x", "d.e.f", null, [KeyValuePair.Create(key, JsonElement.Parse("1"))]);

        act.Should().Throw<ArgumentException>().WithParameterName("additionalProperties");
    }

    [Fact]
    public void Constructor_UndefinedExtraValue_ThrowsArgumentException()
    {
        var act = () => new ArvoSubjectExecution("x", "d.e.f", null, [KeyValuePair.Create("k", default(JsonElement))]);

        act.Should().Throw<ArgumentException>().WithMessage("Additional property 'k' has an undefined JSON value.*");
    }

    [Fact]
    public void Constructor_NullOrchestratorOrExecution_ThrowsArgumentNullException()
    {
        var noOrchestrator = () => new ArvoOrchestrationSubjectContent(null!, new ArvoSubjectExecution("x", "d.e.f"));
        var noExecution = () => new ArvoOrchestrationSubjectContent(new ArvoSubjectOrchestrator("a.b.c", "1.0.0"), null!);

        noOrchestrator.Should().Throw<ArgumentNullException>().WithParameterName("orchestrator");
        noExecution.Should().Throw<ArgumentNullException>().WithParameterName("execution");
    }

    [Fact]
    public void Create_NullContent_ThrowsArgumentNullException()
    {
        var act = () => ArvoOrchestrationSubject.Create(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("content");
    }

    [Fact]
    public void Meta_AfterRoundTrip_KeepsInsertionOrder()
    {
        var meta = new[] { KeyValuePair.Create("zeta", "1"), KeyValuePair.Create("alpha", "2"), KeyValuePair.Create("mid", "3") };

        var content = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", meta: meta));

        content.Meta.Keys.Should().Equal("zeta", "alpha", "mid");
        content.Meta.Values.Should().Equal("1", "2", "3");
    }

    [Fact]
    public void Meta_RepeatedKeyInConstructor_KeepsFirstPositionAndLastValue()
    {
        var content = new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator("a.b.c", "1.0.0"),
            new ArvoSubjectExecution("x", "d.e.f"),
            [KeyValuePair.Create("a", "1"), KeyValuePair.Create("b", "2"), KeyValuePair.Create("a", "3")]);

        content.Meta.Should().Equal(new Dictionary<string, string> { ["a"] = "3", ["b"] = "2" });
        content.Meta.Keys.Should().Equal("a", "b");
    }

    [Fact]
    public void Parse_RepeatedKeys_LastValueWinsAsInJsonParse()
    {
        const string Json = """{"orchestrator":{"name":"x.y.z","version":"1.0.0","name":"a.b.c"},"execution":{"id":"x","initiator":"d.e.f","domain":null},"meta":{"a":"1","b":"2","a":"3"}}""";

        var content = ArvoOrchestrationSubject.Parse(SubjectText.Encode(Json));

        content.Orchestrator.Name.Should().Be("a.b.c");
        content.Meta.Keys.Should().Equal("a", "b");
        content.Meta["a"].Should().Be("3");
    }

    [Fact]
    public void Meta_ManyRepeatedKeys_KeepFirstPositionAndLastValueAndLookUpEveryKey()
    {
        var source = Enumerable.Range(0, 100).Select(i => KeyValuePair.Create($"k{19 - (i % 20)}", $"v{i}")).ToList();

        var content = new ArvoOrchestrationSubjectContent(new ArvoSubjectOrchestrator("a.b.c", "1.0.0"), new ArvoSubjectExecution("x", "d.e.f"), source);

        content.Meta.Keys.Should().Equal(Enumerable.Range(0, 20).Select(i => $"k{19 - i}"));
        content.Meta["k19"].Should().Be("v80");
        content.Meta["k0"].Should().Be("v99");
        content.Meta.ContainsKey("k20").Should().BeFalse();
    }

    [Fact]
    public void Constructor_NullMetaKey_ThrowsArgumentExceptionNamingMeta()
    {
        var act = () => new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator("a.b.c", "1.0.0"), new ArvoSubjectExecution("x", "d.e.f"), [KeyValuePair.Create<string, string>(null!, "v")]);

        act.Should().Throw<ArgumentException>().WithParameterName("meta");
    }

    [Fact]
    public void Meta_TryGetValueWithNullKey_ThrowsArgumentNullException()
    {
        var content = new ArvoOrchestrationSubjectContent(new ArvoSubjectOrchestrator("a.b.c", "1.0.0"), new ArvoSubjectExecution("x", "d.e.f"), new Dictionary<string, string> { ["a"] = "b" });

        var act = () => content.Meta.TryGetValue(null!, out _);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Meta_Empty_IsTheSharedEmptyView()
    {
        var first = new ArvoOrchestrationSubjectContent(new ArvoSubjectOrchestrator("a.b.c", "1.0.0"), new ArvoSubjectExecution("x", "d.e.f"));
        var second = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f"));

        first.Meta.Should().BeEmpty();
        second.Meta.Should().BeSameAs(first.Meta);
        second.AdditionalProperties.Should().BeSameAs(first.Orchestrator.AdditionalProperties);
    }

    [Fact]
    public void Meta_IsReadOnly()
    {
        var content = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", meta: new Dictionary<string, string> { ["k"] = "v" }));

        // A read-only wrapper over the ordered map: a cast to the mutable interface finds only throwing mutators.
        var asDictionary = content.Meta.Should().BeAssignableTo<IDictionary<string, string>>().Subject;
        asDictionary.IsReadOnly.Should().BeTrue();
        FluentActions.Invoking(() => asDictionary["k"] = "changed").Should().Throw<NotSupportedException>();
        FluentActions.Invoking(() => asDictionary.Add("other", "v")).Should().Throw<NotSupportedException>();
        content.Meta.Should().Equal(new Dictionary<string, string> { ["k"] = "v" });
    }

    [Fact]
    public void Meta_SourceDictionaryChangedAfterConstruction_DoesNotChangeContent()
    {
        var source = new Dictionary<string, string> { ["k"] = "v" };
        var content = new ArvoOrchestrationSubjectContent(new ArvoSubjectOrchestrator("a.b.c", "1.0.0"), new ArvoSubjectExecution("x", "d.e.f"), source);

        source["k"] = "changed";
        source["new"] = "n";

        content.Meta.Should().Equal(new Dictionary<string, string> { ["k"] = "v" });
    }

    [Fact]
    public void Meta_MissingKey_ThrowsKeyNotFoundAndTryGetValueReturnsFalse()
    {
        var content = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f"));

        var act = () => content.Meta["absent"];

        act.Should().Throw<KeyNotFoundException>();
        content.Meta.TryGetValue("absent", out _).Should().BeFalse();
        content.Meta.ContainsKey("absent").Should().BeFalse();
    }

    [Fact]
    public void ToJsonString_NonAsciiText_IsWrittenUnescapedLikeJsonStringify()
    {
        var content = new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator("a.b.c", "1.0.0"),
            new ArvoSubjectExecution("exec-42", "d.e.f", "analytics.eu"),
            new Dictionary<string, string> { ["x-note"] = "héllo wörld ✓", ["quote"] = "\"<&>'\\" });

        content.ToJsonString().Should().Be(
            """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"exec-42","initiator":"d.e.f","domain":"analytics.eu"},"meta":{"x-note":"héllo wörld ✓","quote":"\"<&>'\\"}}""");
    }

    [Fact]
    public void Create_ExtraNestedDeeperThanTheLimit_ThrowsInvalidJson()
    {
        var deep = JsonElement.Parse(new string('[', 70) + new string(']', 70), new JsonDocumentOptions { MaxDepth = 100 });
        var content = new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator("a.b.c", "1.0.0"),
            new ArvoSubjectExecution("x", "d.e.f"),
            additionalProperties: [KeyValuePair.Create("deep", deep)]);

        var act = () => ArvoOrchestrationSubject.Create(content);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidJson);
        error.Message.Should().StartWith("Error creating orchestration subject string from the provided context.");
    }

    [Fact]
    public void Create_ContentLargerThanTheLimit_ThrowsTooLarge()
    {
        var meta = new Dictionary<string, string> { ["big"] = new string('x', ArvoSubjectOptions.DefaultMaxContentBytes) };

        var act = () => ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", meta: meta);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Kind.Should().Be(ArvoSubjectErrorKind.TooLarge);
        error.Message.Should().StartWith("Error creating orchestration subject string from the provided context. Expected content of at most 65536 bytes of UTF-8 JSON, found ");
    }

    [Fact]
    public void Create_SubjectLongerThanAConfiguredLimit_ThrowsTooLong()
    {
        var act = () => ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", options: new ArvoSubjectOptions { MaxSubjectLength = 40 });

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Kind.Should().Be(ArvoSubjectErrorKind.TooLong);
    }
}
