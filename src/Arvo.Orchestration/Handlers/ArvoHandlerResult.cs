using System.Diagnostics.CodeAnalysis;

namespace Arvo.Handlers;

/// <summary>
/// What a handler function returns: nothing, one output or several (event-handler.md section 3). Converts implicitly
/// from an <see cref="ArvoHandlerOutput"/> and from arrays and lists of them, so a function can simply
/// <c>return ArvoHandlerOutput.Emit(…);</c>.
/// </summary>
[SuppressMessage("Usage", "CA2225:Operator overloads have named alternates", Justification = "Named alternates are the static factories One and Many.")]
public readonly struct ArvoHandlerResult
{
    private readonly ArvoHandlerOutput? _single;
    private readonly IReadOnlyList<ArvoHandlerOutput>? _many;

    private ArvoHandlerResult(ArvoHandlerOutput? single, IReadOnlyList<ArvoHandlerOutput>? many)
    {
        _single = single;
        _many = many;
    }

    /// <summary>No events (also the <c>default</c> value).</summary>
    public static ArvoHandlerResult None => default;

    /// <summary>The number of outputs.</summary>
    public int Count => _single is not null ? 1 : _many?.Count ?? 0;

    /// <summary>The output at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based position.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public ArvoHandlerOutput this[int index] =>
        _single is not null
            ? index == 0 ? _single : throw new ArgumentOutOfRangeException(nameof(index))
            : _many is not null ? _many[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>One output (null means none).</summary>
    /// <param name="output">The output.</param>
    public static implicit operator ArvoHandlerResult(ArvoHandlerOutput? output) => One(output);

    /// <summary>Several outputs in order (null means none).</summary>
    /// <param name="outputs">The outputs.</param>
    public static implicit operator ArvoHandlerResult(ArvoHandlerOutput[]? outputs) => Many(outputs);

    /// <summary>Several outputs in order (null means none).</summary>
    /// <param name="outputs">The outputs.</param>
    public static implicit operator ArvoHandlerResult(List<ArvoHandlerOutput>? outputs) => Many(outputs);

    /// <summary>One output (null means none).</summary>
    /// <param name="output">The output.</param>
    /// <returns>The result.</returns>
    public static ArvoHandlerResult One(ArvoHandlerOutput? output) => new(output, null);

    /// <summary>Several outputs in order (null means none).</summary>
    /// <param name="outputs">The outputs.</param>
    /// <returns>The result.</returns>
    public static ArvoHandlerResult Many(IReadOnlyList<ArvoHandlerOutput>? outputs) => new(null, outputs);
}
