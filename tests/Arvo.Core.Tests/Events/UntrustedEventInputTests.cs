using System.Net.Mime;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Tests.TestSupport;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace Arvo.Tests.Events;

/// <summary>
/// Deterministic mutation testing of every public event entry point with inputs derived from the spec vectors:
/// only the documented exception types may leave <see cref="ArvoEventJson.Parse(string)"/> (and its UTF-8 and
/// <see cref="JsonElement"/> overloads), <see cref="ArvoEvent.FromCloudEvent(CloudEvent)"/> and
/// <see cref="ArvoManagedEventId.TryParse"/>, and an event that parses can be written, compared and read back.
/// </summary>
public sealed class UntrustedEventInputTests
{
    private const int Seed = 20_261_201;
    private const int EventMutants = 10_000;
    private const int ManagedIdMutants = 2_000;

    private static readonly JsonEventFormatter Formatter = new();
    private static readonly ContentType StructuredContentType = new("application/cloudevents+json; charset=utf-8");

    [Fact]
    public void Parse_MutatedSpecVectorEvents_ThrowOnlyDocumentedExceptions()
    {
        var seeds = EventSeeds();
        var random = new Random(Seed);
        var failures = new List<string>();
        for (var i = 0; i < EventMutants; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var mutant = UntrustedInputMutator.Mutate(seed, random);
            Check(mutant, failures);
        }

        AssertNoFailures(failures);
    }

    [Fact]
    public void TryParse_MutatedArvoManagedIds_NeverThrows()
    {
        var random = new Random(Seed);
        var seed = """{"uuid":"5b8f3f3e-7d2a-4c7e-9f57-1c2d3e4f5a6b","value":"order-42"}""";
        var failures = new List<string>();
        for (var i = 0; i < ManagedIdMutants; i++)
        {
            var mutant = UntrustedInputMutator.Mutate(seed, random, allowExtensions: false);
            string[] ids =
            [
                SubjectText.EncodeBytes(mutant.Utf8),
                mutant.Text,
                Corrupt(SubjectText.EncodeBytes(mutant.Utf8), random),
            ];
            foreach (var id in ids)
            {
                try
                {
                    if (ArvoManagedEventId.TryParse(id, out var parsed, out var error))
                    {
                        parsed.Uuid.Should().NotBeNull();
                    }
                    else
                    {
                        error.Should().NotBeNullOrEmpty();
                    }

                    try
                    {
                        ArvoManagedEventId.Parse(id);
                    }
                    catch (FormatException)
                    {
                    }
                }
                catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
                {
                    failures.Add($"{mutant.Kind}: {exception.GetType().Name}: {exception.Message} <- {Show(id)}");
                }
            }
        }

        AssertNoFailures(failures);
    }

    internal static List<string> EventSeeds()
    {
        var seeds = new List<string>();
        var stack = new Stack<JsonNode>();
        stack.Push(SpecVectors.Load("events.json"));
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case JsonObject obj:
                    if (obj.ContainsKey("specversion"))
                    {
                        seeds.Add(obj.ToJsonString());
                    }

                    foreach (var (key, value) in obj)
                    {
                        if (key == "wire" && value is JsonValue wire)
                        {
                            seeds.Add(wire.GetValue<string>());
                        }
                        else if (value is not null)
                        {
                            stack.Push(value);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        if (item is not null)
                        {
                            stack.Push(item);
                        }
                    }

                    break;
            }
        }

        // Only the seeds that are valid events (the behaviour vectors include deliberately invalid inputs).
        return [.. seeds.Where(s => Parses(s)).Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal)];
    }

    private static bool Parses(string json)
    {
        try
        {
            ArvoEventJson.Parse(json);
            return true;
        }
        catch (ArvoEventValidationException)
        {
            return false;
        }
    }

    private static void Check(UntrustedInputMutator.Mutant mutant, List<string> failures)
    {
        Run(mutant, "Parse(string)", failures, () => ArvoEventJson.Parse(mutant.Text));
        Run(mutant, "Parse(utf8)", failures, () => ArvoEventJson.Parse(mutant.Utf8));

        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(mutant.Utf8, new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException)
        {
        }

        if (document is not null)
        {
            using (document)
            {
                Run(mutant, "Parse(element)", failures, () => ArvoEventJson.Parse(document.RootElement));
            }
        }

        CloudEvent? cloudEvent = null;
        try
        {
            cloudEvent = Formatter.DecodeStructuredModeMessage(mutant.Utf8, StructuredContentType, ArvoCloudEventAttributes.AllAttributes);
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or InvalidOperationException or FormatException)
        {
            // The SDK's own errors are not ours to type.
        }

        if (cloudEvent is not null)
        {
            Run(mutant, "FromCloudEvent", failures, () => ArvoEvent.FromCloudEvent(cloudEvent));
        }
    }

    private static void Run(UntrustedInputMutator.Mutant mutant, string entryPoint, List<string> failures, Func<ArvoEvent> parse)
    {
        ArvoEvent arvoEvent;
        try
        {
            arvoEvent = parse();
        }
        catch (ArvoEventValidationException)
        {
            return;
        }
        catch (Exception exception)
        {
            failures.Add($"{entryPoint} {mutant.Kind}: {exception.GetType().Name}: {exception.Message} <- {Show(mutant.Text)}");
            return;
        }

        try
        {
            // A parsed event is fully usable: written, compared, hashed and read back to an equal event.
            var json = arvoEvent.ToJson();
            var again = ArvoEventJson.Parse(json);
            if (!again.Equals(arvoEvent) || again.GetHashCode() != arvoEvent.GetHashCode())
            {
                failures.Add($"{entryPoint} {mutant.Kind}: round trip differs <- {Show(mutant.Text)}");
            }

            _ = arvoEvent.GetOtelAttributes();
            try
            {
                // Documented: null-valued custom extensions are dropped (CloudEvents has no null attribute).
                var converted = ArvoEvent.FromCloudEvent(arvoEvent.ToCloudEvent());
                var expected = arvoEvent.WithExtensions(arvoEvent.Extensions.Where(e => e.Value is not null));
                if (!converted.Equals(expected))
                {
                    failures.Add($"{entryPoint} {mutant.Kind}: CloudEvent round trip differs: {Show(converted.ToJson())} <- {Show(mutant.Text)}");
                }
            }
            catch (InvalidOperationException)
            {
                // Documented: the SDK cannot represent every valid event.
            }
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            failures.Add($"{entryPoint} {mutant.Kind} (after parsing): {exception.GetType().Name}: {exception.Message} <- {Show(mutant.Text)}");
        }
    }

    private static string Corrupt(string text, Random random)
    {
        var chars = text.ToCharArray();
        if (chars.Length > 0)
        {
            const string Replacements = "A+/=-_\ud800 ~";
            chars[random.Next(chars.Length)] = Replacements[random.Next(Replacements.Length)];
        }

        return new string(chars);
    }

    /// <summary>Fails with one line per distinct failure (the text before the input), its count and one input.</summary>
    internal static void AssertNoFailures(List<string> failures)
    {
        if (failures.Count == 0)
        {
            return;
        }

        var summary = failures
            .GroupBy(f => f.Split(" <- ")[0], StringComparer.Ordinal)
            .Select(g => $"{g.Count()} x {g.First()}");
        Assert.Fail($"{failures.Count} inputs escaped:\n" + string.Join("\n", summary));
    }

    internal static string Show(string text)
    {
        var builder = new System.Text.StringBuilder("\"");
        foreach (var c in text.Length > 300 ? text[..300] : text)
        {
            builder.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return builder.Append(text.Length > 300 ? "\"…" : "\"").ToString();
    }
}
