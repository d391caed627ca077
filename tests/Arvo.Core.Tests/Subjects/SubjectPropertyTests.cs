using System.Text.Json;
using Arvo.Subjects;
using Arvo.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Arvo.Tests.Subjects;

/// <summary>Generated content and hostile strings (FsCheck).</summary>
public sealed class SubjectPropertyTests
{
    [Property(Arbitrary = [typeof(SubjectArbitraries)], MaxTest = 200)]
    public void ParseOfCreate_AnyValidContent_RoundTrips(ValidContent generated)
    {
        var content = generated.Content;

        var subject = ArvoOrchestrationSubject.Create(content);
        var parsed = ArvoOrchestrationSubject.Parse(subject, new ArvoSubjectOptions { Compatibility = ArvoSubjectCompatibility.Strict });

        parsed.ToJsonString().Should().Be(content.ToJsonString());
        SubjectText.DecodeNode(subject).ShouldDeepEqual(content.ToNode());
        parsed.Orchestrator.Name.Should().Be(content.Orchestrator.Name);
        parsed.Orchestrator.Version.Should().Be(content.Orchestrator.Version);
        parsed.Execution.Id.Should().Be(content.Execution.Id);
        parsed.Execution.Initiator.Should().Be(content.Execution.Initiator);
        parsed.Execution.Domain.Should().Be(content.Execution.Domain);
        parsed.Meta.Should().Equal(content.Meta);
        parsed.Meta.Keys.Should().Equal(content.Meta.Keys);
    }

    [Property(Arbitrary = [typeof(SubjectArbitraries)], MaxTest = 100)]
    public void From_AnyValidParent_InheritsNameDomainAndMeta(ValidContent generated, ValidContent other)
    {
        var parent = generated.Content;
        var child = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.From(
            other.Content.Orchestrator.Name,
            other.Content.Orchestrator.Version,
            ArvoOrchestrationSubject.Create(parent),
            meta: other.Content.Meta));

        child.Execution.Initiator.Should().Be(parent.Orchestrator.Name);
        child.Execution.Domain.Should().Be(parent.Execution.Domain);
        child.Meta.Keys.Take(parent.Meta.Count).Should().Equal(parent.Meta.Keys);
        foreach (var (key, value) in other.Content.Meta)
        {
            child.Meta[key].Should().Be(value);
        }
    }

    [Property(MaxTest = 500)]
    public void TryParse_AnyString_ReturnsFalseWithoutThrowing(string? text)
    {
        ArvoOrchestrationSubject.TryParse(text, out var content).Should().Be(content is not null);
        ArvoOrchestrationSubject.IsValid(text).Should().BeFalse();
    }

    [Property(Arbitrary = [typeof(SubjectArbitraries)], MaxTest = 300)]
    public void Parse_ValidSubjectWithOneCharacterChanged_SucceedsOrThrowsTheTypedError(ValidContent generated, PositiveInt position, char replacement)
    {
        var subject = ArvoOrchestrationSubject.Create(generated.Content).ToCharArray();
        subject[position.Get % subject.Length] = replacement;

        var act = () => ArvoOrchestrationSubject.Parse(new string(subject));

        try
        {
            act();
        }
        catch (ArvoOrchestrationSubjectException)
        {
        }
    }

    [Property(Arbitrary = [typeof(SubjectArbitraries)], MaxTest = 300)]
    public void Parse_ValidZlibStreamWithOneByteChanged_SucceedsOrThrowsTheTypedError(ValidContent generated, PositiveInt position, byte replacement)
    {
        var bytes = Convert.FromBase64String(ArvoOrchestrationSubject.Create(generated.Content));
        bytes[position.Get % bytes.Length] = replacement;

        var act = () => ArvoOrchestrationSubject.Parse(Convert.ToBase64String(bytes));

        try
        {
            act();
        }
        catch (ArvoOrchestrationSubjectException)
        {
        }
    }

    /// <summary>Content built only from valid values (wrapped so that it has its own generator).</summary>
    public sealed record ValidContent(ArvoOrchestrationSubjectContent Content)
    {
        public override string ToString() => Content.ToJsonString();
    }

    public static class SubjectArbitraries
    {
        private const string LowerAlphaNumeric = "abcdefghijklmnopqrstuvwxyz0123456789";

        // Any text but ';' (ids) or lone surrogates: ASCII, controls, quotes, Latin, CJK, emoji.
        private static readonly string[] TextAtoms =
            ["a", "Z", "0", "-", "_", " ", ".", "\"", "\\", "/", "\n", "\u0001", "é", "ö", "✓", "中", "\u2028", "\U0001F600", "{", "}", "<", "&", "'", "+", "="];

        public static Arbitrary<ValidContent> Content() => ContentGen().ToArbitrary();

        private static Gen<string> Chars(string alphabet, int min, int max) =>
            Gen.Choose(min, max).SelectMany(n => Gen.Elements(alphabet.ToCharArray()).ArrayOf(n)).Select(chars => new string(chars));

        private static Gen<string> Text(int min, int max) =>
            Gen.Choose(min, max).SelectMany(n => Gen.Elements(TextAtoms).ArrayOf(n)).Select(string.Concat);

        private static Gen<string> TypeName() =>
            Gen.Choose(3, 5).SelectMany(n => Chars(LowerAlphaNumeric, 1, 6).ArrayOf(n)).Select(parts => string.Join('.', parts));

        private static Gen<string> Version() =>
            Gen.Choose(0, 10_000).Three().Select(t => $"{t.Item1}.{t.Item2}.{t.Item3}");

        private static Gen<string?> Domain() =>
            Gen.Frequency<string?>(
                (1, Gen.Constant<string?>(null)),
                (3, Chars(LowerAlphaNumeric + "..", 1, 12).Select(s => (string?)s)));

        private static Gen<KeyValuePair<string, string>[]> Meta() =>
            Gen.Choose(0, 6).SelectMany(n => Gen.Zip(Text(0, 8), Text(0, 20)).Select(p => KeyValuePair.Create(p.Item1, p.Item2)).ArrayOf(n));

        private static Gen<KeyValuePair<string, JsonElement>[]> Extras() =>
            Gen.Choose(0, 2).SelectMany(n => Gen.Zip(
                    Chars("xyz", 1, 3).Select(k => "x-" + k),
                    Gen.Elements("1", "-2.5e3", "true", "null", "\"s\"", "[]", """{"a":[1,{"b":null}]}"""))
                .Select(p => KeyValuePair.Create(p.Item1, JsonElement.Parse(p.Item2)))
                .ArrayOf(n));

        private static Gen<ValidContent> ContentGen() =>
            from name in TypeName()
            from version in Version()
            from id in Text(1, 40).Where(s => !s.Contains(';'))
            from initiator in TypeName()
            from domain in Domain()
            from meta in Meta()
            from rootExtras in Extras()
            from executionExtras in Extras()
            select new ValidContent(new ArvoOrchestrationSubjectContent(
                new ArvoSubjectOrchestrator(name, version),
                new ArvoSubjectExecution(id, initiator, domain, executionExtras),
                meta,
                rootExtras));
    }
}
