namespace Arvo.Schemas;

/// <summary>One reason why data does not match an <see cref="ArvoSchema"/>.</summary>
/// <param name="Path">
/// Where in the data: a JSON path rooted at <c>$</c>, e.g. <c>$</c>, <c>$.delta</c>, <c>$.items[0].name</c>.
/// For a missing property it is the path the property would have.
/// </param>
/// <param name="Code">
/// The kind of issue, named like zod's issue codes: <c>invalid_type</c>, <c>invalid_enum_value</c>,
/// <c>invalid_string</c>, <c>too_small</c>, <c>too_big</c>, <c>not_multiple_of</c>,
/// <c>unrecognized_keys</c>, <c>invalid_union</c> or <c>custom</c>; and, for data rejected before the schema is
/// consulted (see <see cref="ArvoSchema.Validate"/>), <c>invalid_string</c> (a lone UTF-16 surrogate),
/// <c>not_finite</c> (a number beyond the double range), <c>too_big</c> (nesting deeper than 256 levels) or
/// <c>invalid_type</c> (an undefined <c>default(JsonElement)</c>).
/// </param>
/// <param name="Expected">What the schema expects there, e.g. <c>number</c> or <c>one of "a", "b"</c>.</param>
/// <param name="Found">What the data holds there, e.g. <c>string</c>, <c>"c"</c> or <c>missing</c>.</param>
public sealed record ArvoSchemaIssue(string Path, string Code, string Expected, string Found)
{
    /// <summary>A one-line description, <c>&lt;path&gt;: expected &lt;expected&gt;, found &lt;found&gt;</c>.</summary>
    public string Message => $"{Path}: expected {Expected}, found {Found}";

    /// <summary>Same as <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}
