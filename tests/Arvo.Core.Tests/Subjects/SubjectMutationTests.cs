using System.Text.Json.Nodes;
using Arvo.Subjects;
using Arvo.Tests.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Subjects;

/// <summary>
/// Deterministic mutation testing of the subject entry points with inputs derived from <c>subjects.json</c>:
/// <see cref="ArvoOrchestrationSubject.Parse"/> throws only <see cref="ArvoOrchestrationSubjectException"/>,
/// <see cref="ArvoOrchestrationSubject.TryParse(string?, out ArvoOrchestrationSubjectContent?)"/> and
/// <see cref="ArvoOrchestrationSubject.IsValid"/> never throw, and parsed content re-encodes.
/// </summary>
public sealed class SubjectMutationTests
{
    private const int Seed = 20_261_202;
    private const int Mutants = 5_000;

    [Fact]
    public void Parse_MutatedSpecVectorSubjects_ThrowOnlyDocumentedExceptions()
    {
        var vectors = SpecVectors.Load("subjects.json");
        var jsonSeeds = vectors["vectors"]!.AsArray().Select(v => v!["decoded_json_string"]!.GetValue<string>()).ToList();
        var subjectSeeds = vectors["vectors"]!.AsArray().Select(v => v!["encoded"]!.GetValue<string>())
            .Concat(vectors["invalid"]!.AsArray().Select(v => v!["subject"]!.GetValue<string>()))
            .ToList();
        var random = new Random(Seed);
        var failures = new List<string>();
        for (var i = 0; i < Mutants; i++)
        {
            string subject;
            string kind;
            if (random.Next(3) == 0)
            {
                var seed = subjectSeeds[random.Next(subjectSeeds.Count)];
                var chars = seed.ToCharArray();
                if (chars.Length > 0)
                {
                    const string Replacements = "A+/=-_\ud800\udc00 ~%\0";
                    chars[random.Next(chars.Length)] = Replacements[random.Next(Replacements.Length)];
                }

                subject = random.Next(4) == 0 ? seed[..random.Next(seed.Length + 1)] : new string(chars);
                kind = "subject-text";
            }
            else
            {
                var mutant = UntrustedInputMutator.Mutate(jsonSeeds[random.Next(jsonSeeds.Count)], random, allowExtensions: false);
                subject = SubjectText.EncodeBytes(MutateInner(mutant.Utf8, random));
                kind = mutant.Kind;
            }

            Check(subject, kind, failures);
        }

        UntrustedEventInputTests.AssertNoFailures(failures);
    }

    // Reuses the event mutations on the subject JSON; sometimes also inside orchestrator/execution/meta.
    private static byte[] MutateInner(byte[] utf8, Random random)
    {
        if (random.Next(2) == 0)
        {
            return utf8;
        }

        try
        {
            if (JsonNode.Parse(utf8) is not JsonObject root)
            {
                return utf8;
            }

            string[] parts = ["orchestrator", "execution", "meta"];
            var part = parts[random.Next(parts.Length)];
            if (root[part] is not JsonObject inner)
            {
                return utf8;
            }

            var mutated = UntrustedInputMutator.Mutate(inner.ToJsonString(), random, allowExtensions: false);
            var text = root.ToJsonString();
            var needle = "\"" + part + "\":" + inner.ToJsonString();
            var at = text.IndexOf(needle, StringComparison.Ordinal);
            if (at < 0)
            {
                return utf8;
            }

            var prefix = System.Text.Encoding.UTF8.GetBytes(text[..(at + part.Length + 3)]);
            var suffix = System.Text.Encoding.UTF8.GetBytes(text[(at + needle.Length)..]);
            return [.. prefix, .. mutated.Utf8, .. suffix];
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return utf8;
        }
    }

    private static void Check(string subject, string kind, List<string> failures)
    {
        try
        {
            var valid = ArvoOrchestrationSubject.IsValid(subject);
            var parsed = ArvoOrchestrationSubject.TryParse(subject, out var content);
            parsed.Should().Be(valid);
            try
            {
                ArvoOrchestrationSubject.Parse(subject);
                valid.Should().BeTrue();
            }
            catch (ArvoOrchestrationSubjectException)
            {
                valid.Should().BeFalse();
            }

            if (content is not null)
            {
                // Parsed content re-encodes to a subject that parses to the same JSON.
                var again = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.Create(content));
                again.ToJsonString().Should().Be(content.ToJsonString());
                _ = ArvoOrchestrationSubject.From("a.b.c", "1.0.0", subject);
            }
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            failures.Add($"{kind}: {exception.GetType().Name}: {exception.Message} <- {UntrustedEventInputTests.Show(subject)}");
        }
    }
}
