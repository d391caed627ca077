using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Arvo.Events;
using Arvo.Internal;
using Arvo.Tests.TestSupport;
using CloudNative.CloudEvents.SystemTextJson;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Arvo.Tests.Events;

/// <summary>Property tests: every created event survives our writer/reader and the SDK; generated times are true UTC (W-8).</summary>
public sealed partial class ArvoEventPropertyTests
{
    private static readonly JsonEventFormatter Formatter = new();

    private static Gen<string> LowerAlphaNumeric(int minLength) =>
        Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray())
            .ArrayOf()
            .Where(chars => chars.Length >= minLength)
            .Select(chars => new string(chars));

    // Any string without lone surrogates (the factory URI-encodes it).
    private static Gen<string> AnyText =>
        ArbMap.Default.GeneratorFor<string>()
            .Where(s => s is not null && !HasLoneSurrogate(s));

    private static Gen<string> EventType =>
        LowerAlphaNumeric(1).ArrayOf().Where(segments => segments.Length >= 3)
            .Select(segments => string.Join('.', segments));

    private static Gen<double?> ExecutionUnits =>
        Gen.OneOf(
            Gen.Constant<double?>(null),
            ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(d => (double?)d),
            Gen.Choose(-1000, 1000).Select(i => (double?)i));

    private static Gen<JsonObject> Data =>
        from text in AnyText
        from number in ArbMap.Default.GeneratorFor<int>()
        from flag in ArbMap.Default.GeneratorFor<bool>()
        select new JsonObject { ["text"] = text, ["number"] = number, ["flag"] = flag, ["list"] = new JsonArray(1, "x", null) };

    private static Gen<KeyValuePair<string, object?>[]> Extensions =>
        Gen.Zip(LowerAlphaNumeric(1), Gen.OneOf(
                AnyText.Select(s => (object?)s),
                ArbMap.Default.GeneratorFor<bool>().Select(b => (object?)b),
                ArbMap.Default.GeneratorFor<int>().Select(i => (object?)i),
                Gen.Constant<object?>(null)))
            .Select(t => new KeyValuePair<string, object?>("x" + t.Item1, t.Item2))
            .ArrayOf();

    private static Gen<ArvoEventInit> Inits =>
        // A source that System.Uri cannot parse (e.g. "X:a", a DOS path) cannot be carried by the SDK; see
        // ArvoCloudEventAttributesTests.ToCloudEvent_SourceUriCannotParse_ThrowsInvalidOperation.
        from source in AnyText.Where(s => s.Length > 0 && Uri.TryCreate(JsUri.Encode(s), UriKind.RelativeOrAbsolute, out _))
        from subject in AnyText.Where(s => s.Length > 0)
        from type in EventType
        from data in Data
        from to in Gen.OneOf(Gen.Constant<string?>(null), AnyText.Select(s => (string?)s))
        from redirect in Gen.OneOf(Gen.Constant<string?>(null), AnyText.Select(s => (string?)s))
        from parent in Gen.OneOf(Gen.Constant<string?>(null), AnyText.Select(s => (string?)s))
        from schema in Gen.OneOf(Gen.Constant<string?>(null), AnyText.Select(s => (string?)("#/" + s + "/0.0.1")))
        from units in ExecutionUnits
        from domain in Gen.OneOf(Gen.Constant<string?>(null), LowerAlphaNumeric(1).Select(s => (string?)(s + ".d")))
        from extensions in Extensions
        select new ArvoEventInit
        {
            Source = source,
            Subject = subject,
            Type = type,
            Data = data,
            To = to,
            RedirectTo = redirect,
            ParentId = parent,
            DataSchema = schema,
            ExecutionUnits = units,
            Domain = domain,
            AccessControl = "role:" + type,
            Extensions = extensions,
        };

    [Property(MaxTest = 200)]
    public Property Create_AnyInput_SurvivesJsonWriteAndRead() =>
        Prop.ForAll(Arb.From(Inits), init =>
        {
            var arvoEvent = ArvoEvent.Create(init);

            var fromUtf8 = ArvoEventJson.Parse(ArvoEventJson.SerializeToUtf8Bytes(arvoEvent));
            var fromText = ArvoEventJson.Parse(arvoEvent.ToJson(indented: true));
            using var document = JsonDocument.Parse(arvoEvent.ToJson());
            var fromElement = ArvoEventJson.Parse(document.RootElement);

            return fromUtf8.Equals(arvoEvent) && fromText.Equals(arvoEvent) && fromElement.Equals(arvoEvent);
        });

    [Property(MaxTest = 200)]
    public Property Create_AnyInput_SurvivesTheCloudEventsSdk() =>
        Prop.ForAll(Arb.From(Inits), init =>
        {
            // Custom extensions other than strings change type through an SDK decoder that does not know them,
            // and null extensions are dropped (CloudEvents has no null): keep string extensions for this property.
            var arvoEvent = ArvoEvent.Create(init with { Extensions = [.. (init.Extensions ?? [])
                .Where(e => e.Value is string text && text.All(c => c is >= ' ' and < (char)0x7F))] });

            var body = Formatter.EncodeStructuredModeMessage(arvoEvent.ToCloudEvent(), out var contentType);
            var viaSdk = ArvoEvent.FromCloudEvent(Formatter.DecodeStructuredModeMessage(body, contentType, ArvoCloudEventAttributes.AllAttributes));
            var viaReader = ArvoEventJson.Parse(body.Span);

            return viaSdk.Equals(arvoEvent) && viaReader.Equals(arvoEvent);
        });

    // W-8 (port): generated time has the reference format and is the true UTC instant of the clock, on a UTC+5 host.
    [Property(MaxTest = 300)]
    public Property Create_AnyClockInstant_WritesTrueUtcInstant() =>
        Prop.ForAll(
            Arb.From(Gen.Choose(0, int.MaxValue).Select(seconds => DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddMilliseconds(seconds % 1000))),
            Arb.From(Gen.Choose(-14 * 60, 14 * 60).Select(minutes => TimeSpan.FromMinutes(minutes))),
            (instant, offset) =>
            {
                var clock = new FixedTimeProvider(instant.ToOffset(offset), FixedTimeProvider.UtcPlusFive);

                var time = ArvoEvent.Create(
                    new ArvoEventInit { Source = "s", Type = "a.b.c", Subject = "s", Data = new JsonObject() },
                    new ArvoEventCreationOptions { TimeProvider = clock }).Time;

                return GeneratedTime().IsMatch(time) &&
                    ArvoTime.IsValid(time) &&
                    DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture) == instant &&
                    time.StartsWith(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            });

    // encodeURI output is always URI-valid, so every created source/subject passes the strict rule.
    [Property(MaxTest = 300)]
    public Property JsUriEncode_AnyText_IsUriValid() =>
        Prop.ForAll(Arb.From(AnyText), text => JsUri.IsValid(JsUri.Encode(text)));

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$")]
    private static partial Regex GeneratedTime();
}
