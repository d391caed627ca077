using System.Text.Json;
using Arvo.Events;
using Arvo.Factories;

namespace Arvo.Tests.Events;

/// <summary>Issue 16 item 6: a contract generated from a type accepts that type's data and reads it back.</summary>
public sealed class ArvoJsonTests
{
    public enum Priority
    {
        Low,
        VeryHigh,
    }

    public sealed record Address(string City, Priority Delivery);

    public sealed record Order(string Id, Priority Priority, Address ShipTo, IReadOnlyList<Priority> History)
    {
        public bool Equals(Order? other) =>
            other is not null && Id == other.Id && Priority == other.Priority && ShipTo == other.ShipTo && History.SequenceEqual(other.History);

        public override int GetHashCode() => HashCode.Combine(Id, Priority, ShipTo);
    }

    public sealed record Placed(string OrderId, Priority Priority);

    private static readonly Order Sample = new("o-1", Priority.VeryHigh, new Address("Oslo", Priority.Low), [Priority.Low, Priority.VeryHigh]);

    private static readonly ArvoContract Orders = ArvoContract.Create("#/test/orders", "com.test.order", c => c
        .Version("1.0.0", v => v
            .Accepts(ArvoSchema.FromType<Order>())
            .Emits("evt.test.order.placed", ArvoSchema.FromType<Placed>())));

    private static readonly ArvoEventFactory Factory = new(Orders.Version("1.0.0"));

    [Fact]
    public void DefaultSerializerOptions_Enum_IsWrittenAsCamelCaseString()
    {
        JsonSerializer.Serialize(new Placed("o-1", Priority.VeryHigh), ArvoJson.DefaultSerializerOptions)
            .Should().Be("""{"orderId":"o-1","priority":"veryHigh"}""");
    }

    [Fact]
    public void DefaultSerializerOptions_EnumNumber_IsStillRead()
    {
        JsonSerializer.Deserialize<Placed>("""{"orderId":"o-1","priority":1}""", ArvoJson.DefaultSerializerOptions)
            .Should().Be(new Placed("o-1", Priority.VeryHigh));
    }

    [Fact]
    public void DefaultSerializerOptions_IsReadOnly()
    {
        ArvoJson.DefaultSerializerOptions.IsReadOnly.Should().BeTrue();
    }

    [Fact]
    public void Accepts_RecordOfAGeneratedContract_IsValidAndReadsBackEqual()
    {
        var evt = Factory.Accepts(new ArvoEventEnvelope { Source = "com.test.client" }, Sample);

        evt.Data.GetRawText().Should().Be(
            """{"id":"o-1","priority":"veryHigh","shipTo":{"city":"Oslo","delivery":"low"},"history":["low","veryHigh"]}""");
        Orders.Version("1.0.0").Accepts.Schema.Validate(evt.Data).IsValid.Should().BeTrue();
        evt.GetData<Order>().Should().Be(Sample);
    }

    [Fact]
    public void Emits_RecordOfAGeneratedEmitSchema_IsValidAndReadsBackEqual()
    {
        var evt = Factory.Emits(new ArvoEventEnvelope { Source = "com.test.order", Subject = "s" }, "evt.test.order.placed", new Placed("o-1", Priority.VeryHigh));

        evt.Data.GetRawText().Should().Be("""{"orderId":"o-1","priority":"veryHigh"}""");
        evt.GetData<Placed>().Should().Be(new Placed("o-1", Priority.VeryHigh));
    }

    [Fact]
    public void GetData_EnumStringsAsTheTypeScriptReferenceSendsThem_ReadsTheRecord()
    {
        // A zod enum travels as its string; the JSON below is what a TypeScript service sends for the same contract.
        var evt = ArvoEventJson.Parse(
            """{"id":"1","source":"com.ts.client","specversion":"1.0","type":"com.test.order","subject":"s","datacontenttype":"application/cloudevents+json;charset=UTF-8;profile=arvo","dataschema":"#/test/orders/1.0.0","data":{"id":"o-1","priority":"veryHigh","shipTo":{"city":"Oslo","delivery":"low"},"history":["low","veryHigh"]},"time":"2025-01-01T00:00:00.000+00:00","to":"com.test.order","accesscontrol":null,"redirectto":null,"executionunits":null,"traceparent":null,"tracestate":null,"parentid":null,"domain":null}""");

        Orders.Version("1.0.0").Accepts.Schema.Validate(evt.Data).IsValid.Should().BeTrue();
        evt.GetData<Order>().Should().Be(Sample);
    }

    [Fact]
    public void ToData_Record_UsesTheDefaultSerializerOptions()
    {
        ArvoEvent.ToData(new Placed("o-1", Priority.Low)).GetRawText().Should().Be("""{"orderId":"o-1","priority":"low"}""");
    }

    [Fact]
    public void CreationOptions_Default_IsTheDefaultSerializerOptions()
    {
        ArvoEventCreationOptions.Default.SerializerOptions.Should().BeSameAs(ArvoJson.DefaultSerializerOptions);
    }

    [Fact]
    public void CreationOptions_NullSerializerOptions_Throws()
    {
        var act = () => new ArvoEventCreationOptions { SerializerOptions = null! };

        act.Should().Throw<ArgumentNullException>().WithParameterName("SerializerOptions");
    }

    [Fact]
    public void FromType_OtherOptionsGivenInBothPlaces_SchemaAndDataAgree()
    {
        // Enums as numbers, PascalCase names: the one instance decides the schema and the data.
        var options = new JsonSerializerOptions();
        var contract = ArvoContract.Create("#/test/orders/pascal", "com.test.order", c => c
            .Version("1.0.0", v => v.Accepts(ArvoSchema.FromType<Placed>(options)).Emits("evt.test.order.placed", ArvoSchema.FromType<Placed>(options))));
        var factory = new ArvoEventFactory(contract.Version("1.0.0"), new ArvoEventCreationOptions { SerializerOptions = options });

        var evt = factory.Accepts(new ArvoEventEnvelope { Source = "com.test.client" }, new Placed("o-1", Priority.VeryHigh));

        evt.Data.GetRawText().Should().Be("""{"OrderId":"o-1","Priority":1}""");
        evt.GetData<Placed>(options).Should().Be(new Placed("o-1", Priority.VeryHigh));
    }
}
