using Arvo.Events;
using Arvo.Internal;
using Arvo.Subjects;

namespace Arvo.Tests.Subjects;

/// <summary>The bounded cache of parsed subjects behind <see cref="SubjectCodec.TryParse(string, ArvoSubjectOptions, SubjectCache?, out ArvoOrchestrationSubjectContent?, out SubjectError)"/>.</summary>
public sealed class SubjectCacheTests
{
    private static readonly ArvoSubjectOptions Strict = new() { Compatibility = ArvoSubjectCompatibility.Strict };

    [Fact]
    public void TryParse_SameSubjectTwice_ReturnsTheCachedContent()
    {
        var cache = new SubjectCache(8);
        var subject = NewSubject("id-1");

        Parse(subject, ArvoSubjectOptions.Default, cache, out var first).Should().BeTrue();
        Parse(subject, ArvoSubjectOptions.Default, cache, out var second).Should().BeTrue();

        second.Should().BeSameAs(first);
        cache.Count.Should().Be(1);
    }

    [Fact]
    public void TryParse_EqualSubjectText_HitsAlthoughTheStringIsAnotherInstance()
    {
        var cache = new SubjectCache(8);
        var subject = NewSubject("id-1");
        var copy = new string(subject.AsSpan());

        Parse(subject, ArvoSubjectOptions.Default, cache, out var first).Should().BeTrue();
        Parse(copy, ArvoSubjectOptions.Default, cache, out var second).Should().BeTrue();

        second.Should().BeSameAs(first);
    }

    [Fact]
    public void TryParse_Cached_GivesTheSameContentAsAnUncachedParse()
    {
        var cache = new SubjectCache(8);
        var subject = ArvoOrchestrationSubject.New(
            "arvo.orc.counter", "1.2.3", "com.test.service", "root.dom", [new("redirectto", "com.other.service"), new("k", "v")]);

        Parse(subject, ArvoSubjectOptions.Default, cache, out _).Should().BeTrue();
        Parse(subject, ArvoSubjectOptions.Default, cache, out var cached).Should().BeTrue();
        Parse(subject, ArvoSubjectOptions.Default, null, out var uncached).Should().BeTrue();

        cached.Should().NotBeSameAs(uncached);
        cached!.ToJsonString().Should().Be(uncached!.ToJsonString());
        cached.Execution.Domain.Should().Be("root.dom");
        cached.Meta.Should().Equal(uncached.Meta);
    }

    [Fact]
    public void TryParse_OtherOptions_DoesNotReuseTheEntry()
    {
        var cache = new SubjectCache(8);
        var subject = NewSubject("id-1");
        var tight = new ArvoSubjectOptions { MaxSubjectLength = 10 };

        Parse(subject, ArvoSubjectOptions.Default, cache, out _).Should().BeTrue();

        SubjectCodec.TryParse(subject, tight, cache, out var content, out var error).Should().BeFalse();
        content.Should().BeNull();
        error.Kind.Should().Be(ArvoSubjectErrorKind.TooLong);
    }

    [Fact]
    public void TryParse_EqualOptionsInstance_HitsTheEntry()
    {
        var cache = new SubjectCache(8);
        var subject = NewSubject("id-1");

        Parse(subject, Strict, cache, out var first).Should().BeTrue();
        Parse(subject, new ArvoSubjectOptions { Compatibility = ArvoSubjectCompatibility.Strict }, cache, out var second).Should().BeTrue();

        second.Should().BeSameAs(first);
    }

    [Fact]
    public void TryParse_LenientEntry_DoesNotHideAStrictFailure()
    {
        // An arvo-core 2.x subject (no execution.domain): Lenient reads it, Strict must still reject it.
        var cache = new SubjectCache(8);
        var legacy = ZlibBase64.Encode("""{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f"},"meta":{}}"""u8);

        Parse(legacy, ArvoSubjectOptions.Default, cache, out _).Should().BeTrue();

        SubjectCodec.TryParse(legacy, Strict, cache, out _, out var error).Should().BeFalse();
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidContent);
        error.Field.Should().Be("execution.domain");
    }

    [Theory]
    [InlineData("ab!c", ArvoSubjectErrorKind.InvalidBase64)]
    [InlineData("", ArvoSubjectErrorKind.InvalidBase64)]
    [InlineData("AAAA", ArvoSubjectErrorKind.InvalidZlib)]
    public void TryParse_InvalidSubjectTwice_FailsWithTheSameErrorAndIsNotCached(string subject, ArvoSubjectErrorKind kind)
    {
        var cache = new SubjectCache(8);

        SubjectCodec.TryParse(subject, ArvoSubjectOptions.Default, cache, out _, out var first).Should().BeFalse();
        SubjectCodec.TryParse(subject, ArvoSubjectOptions.Default, cache, out _, out var second).Should().BeFalse();

        first.Kind.Should().Be(kind);
        second.Kind.Should().Be(kind);
        second.Expected.Should().Be(first.Expected);
        second.Actual.Should().Be(first.Actual);
        cache.Count.Should().Be(0);
    }

    [Fact]
    public void TryParse_InvalidContentTwice_FailsWithTheSameFieldError()
    {
        var cache = new SubjectCache(8);
        var subject = ZlibBase64.Encode("""{"orchestrator":{"name":"bad","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f","domain":null},"meta":{}}"""u8);

        SubjectCodec.TryParse(subject, ArvoSubjectOptions.Default, cache, out _, out var first).Should().BeFalse();
        SubjectCodec.TryParse(subject, ArvoSubjectOptions.Default, cache, out _, out var second).Should().BeFalse();

        first.Field.Should().Be("orchestrator.name");
        second.Field.Should().Be(first.Field);
        second.Actual.Should().Be(first.Actual);
        cache.Count.Should().Be(0);
    }

    [Fact]
    public void Add_ManyDistinctSubjects_NeverHoldsMoreThanTheCapacity()
    {
        var cache = new SubjectCache(16);

        for (var i = 0; i < 500; i++)
        {
            Parse(NewSubject($"id-{i}"), ArvoSubjectOptions.Default, cache, out _).Should().BeTrue();
        }

        cache.Capacity.Should().Be(16);
        cache.Count.Should().BeLessThanOrEqualTo(16);
    }

    [Fact]
    public void Constructor_CapacityNotAPowerOfTwo_RoundsUp()
    {
        new SubjectCache(100).Capacity.Should().Be(128);
    }

    [Fact]
    public void Add_SubjectLongerThanTheLimit_IsNotKept()
    {
        var cache = new SubjectCache(8);
        var meta = new Dictionary<string, string> { ["k"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024)) };
        var subject = ArvoOrchestrationSubject.New("arvo.orc.counter", "1.0.0", "com.test.service", meta: meta);
        subject.Length.Should().BeGreaterThan(SubjectCache.MaxSubjectLength);

        Parse(subject, ArvoSubjectOptions.Default, cache, out var first).Should().BeTrue();
        Parse(subject, ArvoSubjectOptions.Default, cache, out var second).Should().BeTrue();

        second.Should().NotBeSameAs(first);
        cache.Count.Should().Be(0);
    }

    [Fact]
    public void TryParse_ParallelReadsOfManySubjects_GiveEachSubjectItsOwnContent()
    {
        // A small cache shared by 4 threads over 200 subjects: slots are overwritten all the time, yet every read must
        // return the content of exactly the subject it was given.
        var cache = new SubjectCache(32);
        var subjects = Enumerable.Range(0, 200).Select(i => (Id: $"exec-{i}", Subject: NewSubject($"exec-{i}"))).ToArray();
        var failures = 0;

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            for (var round = 0; round < 50; round++)
            {
                for (var i = 0; i < subjects.Length; i++)
                {
                    var (id, subject) = subjects[(i * (worker + 1) + round) % subjects.Length];
                    if (!SubjectCodec.TryParse(subject, ArvoSubjectOptions.Default, cache, out var content, out _)
                        || content.Execution.Id != id
                        || content.Orchestrator.Name != "arvo.orc.counter")
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        });

        failures.Should().Be(0);
        cache.Count.Should().BeLessThanOrEqualTo(32);
    }

    private static string NewSubject(string executionId) =>
        ArvoOrchestrationSubject.New("arvo.orc.counter", "1.0.0", "com.test.service", idGenerator: new FixedId(executionId));

    private static bool Parse(string subject, ArvoSubjectOptions options, SubjectCache? cache, out ArvoOrchestrationSubjectContent? content) =>
        SubjectCodec.TryParse(subject, options, cache, out content, out _);

    private sealed class FixedId(string id) : IArvoIdGenerator
    {
        public string NewId() => id;
    }
}
