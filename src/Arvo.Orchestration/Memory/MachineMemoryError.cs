using System.Text.Json.Serialization;
using Arvo.Internal;

namespace Arvo.Memory;

/// <summary>The <c>error</c> of a <see cref="MachineMemoryFailureRecord"/>: <c>{name, message, stack}</c>.</summary>
/// <param name="Name">The error name (<c>name</c>), e.g. an exception type name or <c>ViolationError&lt;Execution&gt;</c>.</param>
/// <param name="Message">The error message (<c>message</c>).</param>
/// <param name="Stack">The stack text (<c>stack</c>), or null.</param>
public sealed record MachineMemoryError(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("stack")] string? Stack)
{
    /// <summary>
    /// Captures <paramref name="exception"/>: name = <see cref="ArvoViolation.Name"/> for violations, else the type name;
    /// message = <see cref="Exception.Message"/>; stack = <see cref="Exception.ToString"/> (type, message and trace, like a JS stack)
    /// with every source file named without its directory (<c>in Service.cs:line 42</c>), as in system error data.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static MachineMemoryError FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var name = exception is ArvoViolation violation ? violation.Name : exception.GetType().Name;
        return new MachineMemoryError(name, exception.Message, StackTraces.WithoutSourceDirectories(exception.ToString()));
    }
}
