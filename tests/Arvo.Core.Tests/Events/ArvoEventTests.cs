using System.Text.Json;
using Arvo.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Events;

/// <summary>The strict constructor, validation, copies, equality and the OTel view: W-3, W-5, W-6, W-7 (OTel), W-8, W-9.</summary>
public sealed class ArvoEventTests
{
    // W-5
    [Theory]
    [InlineData("a.b")]
    [InlineData("com.A.b")]
    [InlineData("com.a-b.c")]
    [InlineData("com_a.b.c")]
    [InlineData("")]
    [InlineData("a..b.c")]
    public void Constructor_InvalidType_ThrowsNamingType(string type)
    {
        var act = () => TestEvents.Strict(type: type, to: "x");

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("type");
    }

    // W-5
    [Theory]
    [InlineData("a.b.c")]
    [InlineData("test.input.0")]
    [InlineData("sys.com.hello.world.error")]
    [InlineData("com.hello.world")]
    public void Constructor_ValidType_Succeeds(string type)
    {
        TestEvents.Strict(type: type).Type.Should().Be(type);
    }

    // W-5
    [Fact]
    public void Constructor_EmptyDomain_ThrowsNonEmptyMessage()
    {
        var act = () => TestEvents.Strict(domain: "");

        act.Should().Throw<ArvoEventValidationException>()
            .Where(e => e.Attribute == "domain" && e.Reason == "Domain must be non-empty string");
    }

    // W-5
    [Fact]
    public void Constructor_UpperCaseDomain_ThrowsCharacterMessage()
    {
        var act = () => TestEvents.Strict(domain: "test.test.TEST");

        act.Should().Throw<ArvoEventValidationException>()
            .Where(e => e.Attribute == "domain" && e.Reason == "Domain must contain only lowercase letters, numbers, and dots" &&
                e.Actual == "\"test.test.TEST\"");
    }

    [Theory]
    [InlineData("test.test")]
    [InlineData("a..b")]
    [InlineData(".x")]
    [InlineData("default")]
    [InlineData("all")]
    public void Constructor_DomainWithDotsAnywhere_Succeeds(string domain)
    {
        TestEvents.Strict(domain: domain).Domain.Should().Be(domain);
    }

    // W-5
    [Fact]
    public void Constructor_EmptyAccessControl_ThrowsNamingAccessControl()
    {
        var act = () => TestEvents.Strict(accessControl: "");

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("accesscontrol");
    }

    // W-5
    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"x\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void Constructor_NonObjectData_ThrowsNamingData(string data)
    {
        var act = () => TestEvents.Strict(data: data);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    [Fact]
    public void Constructor_DefaultJsonElement_ThrowsNamingData()
    {
        var act = () => new ArvoEvent("id", "s", "a.b.c", "s", default, "2025-01-01T00:00:00Z", "to");

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    // W-6
    [Fact]
    public void Constructor_JsonContentTypeWithoutTo_Succeeds()
    {
        var arvoEvent = TestEvents.Strict(dataContentType: "application/json", to: null);

        arvoEvent.To.Should().BeNull();
    }

    // W-6
    [Fact]
    public void Constructor_ArvoContentTypeWithoutTo_ThrowsReferenceMessage()
    {
        var act = () => TestEvents.Strict(to: null);

        act.Should().Throw<ArvoEventValidationException>()
            .Where(e => e.Attribute == "to")
            .WithMessage("*The ArvoEvent must have a non-empty 'to' field*");
    }

    // W-6
    [Fact]
    public void Constructor_XmlContentType_ThrowsNamingDataContentType()
    {
        var act = () => TestEvents.Strict(dataContentType: "application/xml");

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("datacontenttype");
    }

    // W-6
    [Fact]
    public void Constructor_SpecVersion03_ThrowsNamingSpecVersion()
    {
        var act = () => TestEvents.Strict(specVersion: "0.3");

        act.Should().Throw<ArvoEventValidationException>()
            .Where(e => e.Attribute == "specversion" && e.Actual == "\"0.3\"");
    }

    [Fact]
    public void Constructor_NullRequiredStrings_ThrowTypedExceptionsNotNullReference()
    {
        var data = TestEvents.Json("{}");

        ((Action)(() => _ = new ArvoEvent(null!, "s", "a.b.c", "s", data, "2025-01-01T00:00Z", "t")))
            .Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("id");
        ((Action)(() => _ = new ArvoEvent("i", "s", "a.b.c", "s", data, null!, "t")))
            .Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("time");
        ((Action)(() => _ = new ArvoEvent("i", "s", null!, "s", data, "2025-01-01T00:00Z", "t")))
            .Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("type");
        ((Action)(() => _ = new ArvoEvent("i", "s", "a.b.c", "s", data, "2025-01-01T00:00Z", "t", dataContentType: null!)))
            .Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("datacontenttype");
    }

    // W-9: the URI rule applies to source, subject, to, redirectto and dataschema.
    [Theory]
    [InlineData("test-subject")]
    [InlineData("a%20b")]
    [InlineData("a%C3%A9")]
    [InlineData("#/test/x/0.0.1")]
    [InlineData("eJw+/=")]
    public void Constructor_UriValidSubject_Succeeds(string subject)
    {
        TestEvents.Strict(subject: subject).Subject.Should().Be(subject);
    }

    // W-9
    [Theory]
    [InlineData("a b")]
    [InlineData("é")]
    [InlineData("a%2Fb")]
    [InlineData("a%c3%a9")]
    [InlineData("a%")]
    [InlineData("[x]")]
    [InlineData("a|b")]
    public void Constructor_UriInvalidSubject_ThrowsNamingSubject(string subject)
    {
        var act = () => TestEvents.Strict(subject: subject);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("subject");
    }

    [Theory]
    [InlineData("source")]
    [InlineData("to")]
    [InlineData("redirectto")]
    [InlineData("dataschema")]
    public void Constructor_UriInvalidOtherAttribute_ThrowsNamingIt(string attribute)
    {
        const string bad = "a b";
        var act = () => attribute switch
        {
            "source" => TestEvents.Strict(source: bad),
            "to" => TestEvents.Strict(to: bad),
            "redirectto" => TestEvents.Strict(redirectTo: bad),
            _ => TestEvents.Strict(dataSchema: bad),
        };

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be(attribute);
    }

    [Theory]
    [InlineData("traceparent")]
    [InlineData("tracestate")]
    [InlineData("parentid")]
    [InlineData("redirectto")]
    [InlineData("dataschema")]
    [InlineData("to")]
    public void Constructor_EmptyNullableString_ThrowsNamingIt(string attribute)
    {
        var act = () => attribute switch
        {
            "traceparent" => TestEvents.Strict(traceParent: ""),
            "tracestate" => TestEvents.Strict(traceState: ""),
            "parentid" => TestEvents.Strict(parentId: ""),
            "redirectto" => TestEvents.Strict(redirectTo: ""),
            "dataschema" => TestEvents.Strict(dataSchema: ""),
            _ => TestEvents.Strict(to: "", dataContentType: "application/json"),
        };

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be(attribute);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_NonFiniteExecutionUnits_Throws(double units)
    {
        var act = () => TestEvents.Strict(executionUnits: units);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("executionunits");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(0.1)]
    public void Constructor_AnyFiniteExecutionUnits_IsKept(double units)
    {
        TestEvents.Strict(executionUnits: units).ExecutionUnits.Should().Be(units);
    }

    // W-8 (through the constructor; the exhaustive validator cases are in ArvoTimeTests)
    [Theory]
    [InlineData("2025-01-01T00:00:00Z")]
    [InlineData("2025-01-01T00:00:00.123456789+05:30")]
    [InlineData("2025-01-01T00:00Z")]
    [InlineData("2025-01-01T00:00:00+0530")]
    public void Constructor_AcceptedTime_IsKeptVerbatim(string time)
    {
        TestEvents.Strict(time: time).Time.Should().Be(time);
    }

    // W-8
    [Theory]
    [InlineData("2025-01-01T00:00:00+05")]
    [InlineData("2025-01-01T00:00:00")]
    [InlineData("2025-01-01 00:00:00Z")]
    [InlineData("2025-01-01T24:00:00Z")]
    [InlineData("2025-13-01T00:00:00Z")]
    public void Constructor_RejectedTime_ThrowsNamingTime(string time)
    {
        var act = () => TestEvents.Strict(time: time);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("time");
    }

    // W-3 (a)
    [Fact]
    public void Constructor_CustomExtension_IsReadableThroughExtensions()
    {
        var arvoEvent = TestEvents.Strict(extensions: [new("customfield", "custom-value")]);

        arvoEvent.Extensions.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, object?>("customfield", "custom-value"));
    }

    // W-3 (a)
    [Theory]
    [InlineData("myKey")]
    [InlineData("my_key")]
    [InlineData("")]
    public void Constructor_InvalidExtensionName_ThrowsNamingIt(string name)
    {
        var act = () => TestEvents.Strict(extensions: [new(name, "x")]);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be(name);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("data")]
    [InlineData("domain")]
    [InlineData("traceparent")]
    [InlineData("arvotime")]
    public void Constructor_ReservedExtensionName_ThrowsNamingIt(string name)
    {
        var act = () => TestEvents.Strict(extensions: [new(name, "x")]);

        act.Should().Throw<ArvoEventValidationException>()
            .Where(e => e.Attribute == name && e.Reason.Contains("must not use the name", StringComparison.Ordinal));
    }

    // W-3 (a)
    [Fact]
    public void Constructor_ObjectExtensionValue_ThrowsNamingIt()
    {
        var act = () => TestEvents.Strict(extensions: [new("nested", new { a = 1 })]);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("nested");
    }

    // W-3 (a)
    [Fact]
    public void Constructor_PrimitiveExtensionValues_AreAccepted()
    {
        var arvoEvent = TestEvents.Strict(extensions:
        [
            new("mykey1", "x"),
            new("flag", true),
            new("n", 3),
            new("nil", null),
        ]);

        arvoEvent.Extensions.Should().Equal(
            new KeyValuePair<string, object?>("mykey1", "x"),
            new KeyValuePair<string, object?>("flag", true),
            new KeyValuePair<string, object?>("n", 3.0),
            new KeyValuePair<string, object?>("nil", null));
    }

    // W-3 (b)
    [Fact]
    public void Constructor_AllArvoAttributes_ReadBackIdentically()
    {
        var arvoEvent = TestEvents.Strict(
            to: "recipient",
            accessControl: "public",
            redirectTo: "redirect-url",
            executionUnits: 5,
            parentId: "parent-event-multi",
            domain: "test.test");

        arvoEvent.To.Should().Be("recipient");
        arvoEvent.AccessControl.Should().Be("public");
        arvoEvent.RedirectTo.Should().Be("redirect-url");
        arvoEvent.ExecutionUnits.Should().Be(5);
        arvoEvent.ParentId.Should().Be("parent-event-multi");
        arvoEvent.Domain.Should().Be("test.test");
        arvoEvent.GetOtelAttributes().Should().Contain(new KeyValuePair<string, object>("cloudevents.arvo.event_domain", "test.test"));
    }

    // W-7 (OTel view)
    [Fact]
    public void GetOtelAttributes_NullValues_AreNotAvailable()
    {
        var arvoEvent = TestEvents.Strict(parentId: "parent-event-otel");

        arvoEvent.GetOtelAttributes().Should().Equal(
            new KeyValuePair<string, object>("cloudevents.event_id", "evt-0001"),
            new KeyValuePair<string, object>("cloudevents.event_source", "com.test.service"),
            new KeyValuePair<string, object>("cloudevents.event_spec_version", "1.0"),
            new KeyValuePair<string, object>("cloudevents.event_subject", "test-subject"),
            new KeyValuePair<string, object>("cloudevents.event_type", "com.number.increment"),
            new KeyValuePair<string, object>("cloudevents.event_time", "2025-01-01T00:00:00.000+00:00"),
            new KeyValuePair<string, object>("cloudevents.event_datacontenttype", ArvoEvent.ArvoContentType),
            new KeyValuePair<string, object>("cloudevents.event_dataschema", "N/A"),
            new KeyValuePair<string, object>("cloudevents.arvo.event_redirectto", "N/A"),
            new KeyValuePair<string, object>("cloudevents.arvo.event_to", "com.number.increment"),
            new KeyValuePair<string, object>("cloudevents.arvo.event_executionunits", "N/A"),
            new KeyValuePair<string, object>("cloudevents.arvo.event_parentid", "parent-event-otel"),
            new KeyValuePair<string, object>("cloudevents.arvo.event_domain", "N/A"));
    }

    [Fact]
    public void GetOtelAttributes_ExecutionUnits_IsNumber()
    {
        var attributes = TestEvents.Strict(executionUnits: 0.5).GetOtelAttributes();

        attributes.Should().Contain(new KeyValuePair<string, object>("cloudevents.arvo.event_executionunits", 0.5));
    }

    [Fact]
    public void Constructor_DataFromDisposedDocument_IsOwnedByTheEvent()
    {
        ArvoEvent arvoEvent;
        using (var document = JsonDocument.Parse("""{"a":[1,2,{"b":"c"}]}"""))
        {
            arvoEvent = new ArvoEvent("id", "s", "a.b.c", "s", document.RootElement, "2025-01-01T00:00Z", "t");
        }

        arvoEvent.Data.GetRawText().Should().Be("""{"a":[1,2,{"b":"c"}]}""");
    }

    [Fact]
    public void GetData_Poco_DeserializesWithWebDefaults()
    {
        var arvoEvent = TestEvents.Strict(data: """{"name":"Saad Ahmad","age":26}""");

        arvoEvent.GetData<Person>().Should().Be(new Person("Saad Ahmad", 26));
    }

    [Fact]
    public void WithDomain_ValidValue_ReturnsValidatedCopy()
    {
        var original = TestEvents.Strict();

        var copy = original.WithDomain("external");

        copy.Domain.Should().Be("external");
        original.Domain.Should().BeNull();
        copy.Should().NotBeSameAs(original);
        copy.WithDomain(null).Should().Be(original);
    }

    [Fact]
    public void WithTo_Null_RevalidatesArvoContentTypeRule()
    {
        var act = () => TestEvents.Strict().WithTo(null);

        act.Should().Throw<ArvoEventValidationException>().WithMessage("*The ArvoEvent must have a non-empty 'to' field*");
    }

    [Fact]
    public void WithMethods_EachAttribute_ChangesOnlyThatAttribute()
    {
        var original = TestEvents.Strict(extensions: [new("keep", "x")]);

        original.WithId("evt-2").Id.Should().Be("evt-2");
        original.WithSource("com.other").Source.Should().Be("com.other");
        original.WithType("com.other.type").Type.Should().Be("com.other.type");
        original.WithSubject("other-subject").Subject.Should().Be("other-subject");
        original.WithDataContentType("application/json").DataContentType.Should().Be("application/json");
        original.WithDataSchema("#/x/0.0.1").DataSchema.Should().Be("#/x/0.0.1");
        original.WithData(TestEvents.Json("""{"b":2}""")).Data.GetRawText().Should().Be("""{"b":2}""");
        original.WithTime("2026-01-01T00:00Z").Time.Should().Be("2026-01-01T00:00Z");
        original.WithAccessControl("role:admin").AccessControl.Should().Be("role:admin");
        original.WithRedirectTo("com.redirect").RedirectTo.Should().Be("com.redirect");
        original.WithExecutionUnits(0.5).ExecutionUnits.Should().Be(0.5);
        original.WithParentId("p-1").ParentId.Should().Be("p-1");
        var traced = original.WithTraceContext("00-abc-def-01", "k=v");
        traced.TraceParent.Should().Be("00-abc-def-01");
        traced.TraceState.Should().Be("k=v");
        original.WithExtension("added", 1).Extensions.Keys.Should().Equal("keep", "added");
        original.WithExtension("keep", "y").Extensions["keep"].Should().Be("y");
        original.WithoutExtension("keep").Extensions.Should().BeEmpty();
        original.WithoutExtension("absent").Should().BeSameAs(original);
        original.WithExtensions(null).Extensions.Should().BeEmpty();
        original.WithId("evt-2").Extensions.Should().ContainKey("keep");
    }

    [Fact]
    public void WithData_Array_ThrowsNamingData()
    {
        var act = () => TestEvents.Strict().WithData(TestEvents.Json("[1]"));

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    [Fact]
    public void WithExtension_InvalidName_Throws()
    {
        var act = () => TestEvents.Strict().WithExtension("Bad", 1);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("Bad");
    }

    [Fact]
    public void Equals_SameAttributesDifferentExtensionOrder_IsTrue()
    {
        var a = TestEvents.Strict(data: """{"x":1,"y":[1,2]}""", extensions: [new("a", 1), new("b", "x")]);
        var b = TestEvents.Strict(data: """{"y":[1,2],"x":1.0}""", extensions: [new("b", "x"), new("a", 1.0)]);

        a.Equals(b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentData_IsFalse()
    {
        TestEvents.Strict(data: """{"x":1}""").Should().NotBe(TestEvents.Strict(data: """{"x":2}"""));
    }

    [Fact]
    public void ToString_IsCompactJson()
    {
        TestEvents.Strict().ToString().Should().StartWith("""{"id":"evt-0001","source":"com.test.service",""");
    }

    private sealed record Person(string Name, int Age);
}
