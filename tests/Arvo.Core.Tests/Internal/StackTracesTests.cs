using Arvo.Internal;

namespace Arvo.Tests.Internal;

public sealed class StackTracesTests
{
    [Theory]
    [InlineData("   at A.B() in /home/ci/src/Service.cs:line 42", "   at A.B() in Service.cs:line 42")]
    [InlineData("   at A.B(Int32 x) in C:\\build\\src\\Service.cs:line 7", "   at A.B(Int32 x) in Service.cs:line 7")]
    [InlineData("   at A.B() in /work/stuff in progress/Service.cs:line 3", "   at A.B() in Service.cs:line 3")]
    [InlineData("   at A.B() in /_/src/Service.cs:line 3", "   at A.B() in Service.cs:line 3")]
    [InlineData("   at A.B() in Service.cs:line 3", "   at A.B() in Service.cs:line 3")]
    [InlineData("   at A.B()", "   at A.B()")]
    [InlineData("--- End of stack trace from previous location ---", "--- End of stack trace from previous location ---")]
    public void WithoutSourceDirectories_OneFrame_KeepsOnlyTheFileName(string frame, string expected)
    {
        StackTraces.WithoutSourceDirectories(frame).Should().Be(expected);
    }

    [Fact]
    public void WithoutSourceDirectories_ManyLines_KeepsLineBreaks()
    {
        StackTraces.WithoutSourceDirectories("   at A.B() in /s/A.cs:line 1\r\n   at C.D()\n   at E.F() in /s/E.cs:line 9\n")
            .Should().Be("   at A.B() in A.cs:line 1\r\n   at C.D()\n   at E.F() in E.cs:line 9\n");
    }

    [Fact]
    public void WithoutSourceDirectories_Null_IsNull()
    {
        StackTraces.WithoutSourceDirectories(null).Should().BeNull();
    }
}
