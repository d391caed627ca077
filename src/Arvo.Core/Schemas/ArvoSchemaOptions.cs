using System.Text.RegularExpressions;

namespace Arvo.Schemas;

/// <summary>How an <see cref="ArvoSchema"/> interprets the JSON Schema it is built from.</summary>
/// <remarks>
/// The default (<see cref="Default"/>) honours the schema exactly as written. Use
/// <see cref="ZodExport"/> (or <see cref="ArvoSchema.FromZodExport(string)"/>) for schemas exported by the
/// TypeScript reference, which behave more leniently at runtime than their export says.
/// </remarks>
public sealed record ArvoSchemaOptions
{
    /// <summary>The default options: the schema is honoured as written.</summary>
    public static ArvoSchemaOptions Default { get; } = new();

    /// <summary>
    /// Options for schemas exported by the reference (zod-to-json-schema):
    /// <see cref="IgnoreAdditionalPropertiesFalse"/> is true.
    /// </summary>
    public static ArvoSchemaOptions ZodExport { get; } = new() { IgnoreAdditionalPropertiesFalse = true };

    /// <summary>
    /// When true, <c>"additionalProperties": false</c> is not enforced by validation: an object with
    /// undeclared properties is valid, and <see cref="ArvoSchema.Parse"/> removes those properties.
    /// </summary>
    /// <value>Default <c>false</c>: the schema is honoured as written.</value>
    /// <remarks>
    /// The reference exports every zod object with <c>additionalProperties: false</c>, yet zod accepts
    /// (and strips) unknown keys at runtime; set this to load such an export with the reference's runtime
    /// semantics. It is off by default because in a hand-written schema <c>additionalProperties: false</c>
    /// is the author forbidding extra properties, which validation must then honour. The exported
    /// <see cref="ArvoSchema.Json"/> is unchanged either way.
    /// </remarks>
    public bool IgnoreAdditionalPropertiesFalse { get; init; }

    /// <summary>The default <see cref="PatternMatchTimeout"/>: 100 milliseconds.</summary>
    public static TimeSpan DefaultPatternMatchTimeout => TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The most time one match of a schema <c>pattern</c> (or <c>patternProperties</c> key) may take against
    /// one string of the data.
    /// </summary>
    /// <value>Default <see cref="DefaultPatternMatchTimeout"/> (100 ms); positive and less than <see cref="int.MaxValue"/> milliseconds.</value>
    /// <remarks>
    /// <para>
    /// A pattern that .NET's linear-time engine (<see cref="RegexOptions.NonBacktracking"/>) supports runs on it,
    /// in time proportional to the string, and never times out; the match result is the same as with the
    /// backtracking engine (patterns have JavaScript's meaning either way, see <c>SchemaPattern</c>). A pattern it does not support (backreferences,
    /// lookarounds, atomic groups, very large counted repetitions) runs on the backtracking engine with this
    /// timeout. NJsonSchema, which matches without a timeout, is given the same matcher for <c>pattern</c>; on schemas
    /// it validates, every property name of the data is first matched against every <c>patternProperties</c> key on
    /// the backtracking engine with this timeout.
    /// </para>
    /// <para>
    /// A match that times out makes the data invalid: one issue, at the path of the string, naming the pattern
    /// (<c>$.code: expected string matching /^(a+)+\1$/ within 100 ms, found "aaa…" (the match timed out)</c>).
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or is longer than <see cref="int.MaxValue"/> - 1 milliseconds (the regex engine's limit).</exception>
    public TimeSpan PatternMatchTimeout
    {
        get;
        init
        {
            if (value <= TimeSpan.Zero || value.TotalMilliseconds >= int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(PatternMatchTimeout), value, "The pattern match timeout must be positive and less than int.MaxValue milliseconds.");
            }

            field = value;
        }
    } = DefaultPatternMatchTimeout;
}
