using Arvo.Subjects;

namespace Arvo.Tests.Subjects;

public sealed class ArvoSubjectOptionsTests
{
    [Fact]
    public void Default_Values_AreDocumentedLimitsAndLenient()
    {
        var options = ArvoSubjectOptions.Default;

        options.MaxSubjectLength.Should().Be(65536);
        options.MaxContentBytes.Should().Be(65536);
        options.Compatibility.Should().Be(ArvoSubjectCompatibility.Lenient);
        ArvoSubjectOptions.MaxJsonDepth.Should().Be(64);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ArvoSubjectOptions.MaxLimit + 1)]
    [InlineData(int.MaxValue)]
    public void Init_LimitOutOfRange_ThrowsArgumentOutOfRange(int limit)
    {
        var length = () => new ArvoSubjectOptions { MaxSubjectLength = limit };
        var bytes = () => new ArvoSubjectOptions { MaxContentBytes = limit };

        length.Should().Throw<ArgumentOutOfRangeException>();
        bytes.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Init_LargestLimit_IsAcceptedAndUsable()
    {
        var options = new ArvoSubjectOptions { MaxSubjectLength = ArvoSubjectOptions.MaxLimit, MaxContentBytes = ArvoSubjectOptions.MaxLimit };

        ArvoOrchestrationSubject.IsValid(ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", options: options), options).Should().BeTrue();
    }

    [Fact]
    public void Init_UndefinedCompatibility_ThrowsArgumentOutOfRange()
    {
        var act = () => new ArvoSubjectOptions { Compatibility = (ArvoSubjectCompatibility)7 };

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
