using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Docs;

public sealed class SpecVectorsCopyTests
{
    [Fact]
    public void CommittedCopy_HasEveryVectorFileWithTheAuthoritativeContent()
    {
        var copy = SpecVectors.CommittedCopyDirectory;
        copy.Should().NotBeNull("tests/spec-vectors is committed with the repository");
        var authoritative = SpecVectors.Directory;

        foreach (var name in new[] { "contracts.json", "events.json", "memory-records.json", "statecharts.json", "subjects.json" })
        {
            var copied = File.ReadAllText(Path.Combine(copy!, name));
            copied.Should().Be(File.ReadAllText(Path.Combine(authoritative, name)), "tests/spec-vectors/{0} must match {1}", name, authoritative);
        }
    }
}
