using System.Runtime.CompilerServices;
using System.Text.Json;
using Arvo.Contracts;
using Arvo.Factories;

namespace Arvo.Tests.Contracts;

/// <summary>Issue 16 item 8: typed system-error data, and stacks without the build machine's paths.</summary>
public sealed class ArvoSystemErrorDataTests
{
    private static readonly ArvoContract Contract = ArvoContract.Create("#/test/errors", "com.test.errors", c => c
        .Version("0.0.1", v => v.Accepts("""{"type":"object"}""").Emits("evt.test.errors.done", """{"type":"object"}""")));

    private static readonly ArvoEventFactory Factory = new(Contract.Version("0.0.1"));

    private static readonly JsonSerializerOptions PlainOptions = new();

    [Fact]
    public void FromException_ThrownException_NamesTheSourceFileWithoutItsDirectory()
    {
        var thrown = Thrown();
        var directory = Path.GetDirectoryName(SourcePath())!;
        thrown.StackTrace.Should().Contain(directory, "the test assembly is built with absolute source paths");

        var data = ArvoSystemErrorData.FromException(thrown);

        data.ErrorName.Should().Be("InvalidOperationException");
        data.ErrorMessage.Should().Be("boom");
        data.ErrorStack.Should().Contain(" in ArvoSystemErrorDataTests.cs:line ")
            .And.NotContain(directory)
            .And.NotContain("/")
            .And.NotContain("\\");
    }

    [Fact]
    public void FromException_NeverThrown_HasNoStack()
    {
        ArvoSystemErrorData.FromException(new InvalidOperationException("never thrown"))
            .Should().Be(new ArvoSystemErrorData("InvalidOperationException", "never thrown", null));
    }

    [Fact]
    public void NameOf_Violation_IsTheViolationName()
    {
        ArvoSystemErrorData.NameOf(new ConfigViolation("bad wiring")).Should().Be("ViolationError<Config>");
    }

    [Fact]
    public void SystemError_ThrownException_EventStackHasNoSourceDirectory()
    {
        var evt = Factory.SystemError(new ArvoEventEnvelope { Source = "com.test.errors", Subject = "s" }, Thrown());

        var stack = evt.Data.GetProperty("errorStack").GetString();
        stack.Should().Contain(" in ArvoSystemErrorDataTests.cs:line ").And.NotContain(Path.GetDirectoryName(SourcePath())!);
    }

    [Fact]
    public void GetSystemErrorData_SystemErrorEvent_ReadsTheTypedData()
    {
        var evt = Factory.SystemError(new ArvoEventEnvelope { Source = "com.test.errors", Subject = "s" }, new InvalidOperationException("boom"));

        evt.IsSystemError.Should().BeTrue();
        evt.GetSystemErrorData().Should().Be(new ArvoSystemErrorData("InvalidOperationException", "boom", null));
        evt.GetData<ArvoSystemErrorData>().Should().Be(new ArvoSystemErrorData("InvalidOperationException", "boom", null));
    }

    [Fact]
    public void GetSystemErrorData_OtherEvent_IsNull()
    {
        var evt = Factory.Accepts(new ArvoEventEnvelope { Source = "com.test.client" }, new { errorName = "E", errorMessage = "m", errorStack = (string?)null });

        evt.IsSystemError.Should().BeFalse();
        evt.GetSystemErrorData().Should().BeNull();
    }

    [Fact]
    public void Deserialize_ReferenceDataForANonErrorThrowable_ReadsEmptyNameAndMessage()
    {
        // The TypeScript reference sends only the stack when a string was thrown (scenario H-14).
        JsonSerializer.Deserialize<ArvoSystemErrorData>("""{"errorStack":null}""")
            .Should().Be(new ArvoSystemErrorData(string.Empty, string.Empty, null));
    }

    [Fact]
    public void Deserialize_ExtraPropertiesAndNulls_AreTolerated()
    {
        JsonSerializer.Deserialize<ArvoSystemErrorData>("""{"errorName":null,"extra":{"a":[1]},"errorMessage":"m","errorStack":"at x"}""")
            .Should().Be(new ArvoSystemErrorData(string.Empty, "m", "at x"));
    }

    [Fact]
    public void Deserialize_NonStringField_ThrowsNamingIt()
    {
        var act = () => JsonSerializer.Deserialize<ArvoSystemErrorData>("""{"errorName":5,"errorMessage":"m","errorStack":null}""");

        act.Should().Throw<JsonException>().WithMessage("System error data: 'errorName' must be a string or null, found Number.");
    }

    [Fact]
    public void Serialize_AnyOptions_UsesTheWireNames()
    {
        var data = new ArvoSystemErrorData("E", "m", null);

        JsonSerializer.Serialize(data, PlainOptions).Should().Be("""{"errorName":"E","errorMessage":"m","errorStack":null}""");
        data.ToJsonElement().GetRawText().Should().Be("""{"errorName":"E","errorMessage":"m","errorStack":null}""");
    }

    [Fact]
    public void ToJsonElement_Always_SatisfiesTheSystemErrorSchema()
    {
        ArvoSchema.SystemError.Validate(ArvoSystemErrorData.FromException(Thrown()).ToJsonElement()).IsValid.Should().BeTrue();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException Thrown()
    {
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
