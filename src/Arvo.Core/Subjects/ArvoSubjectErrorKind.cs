namespace Arvo.Subjects;

/// <summary>Why an orchestration subject could not be created or parsed.</summary>
public enum ArvoSubjectErrorKind
{
    /// <summary>
    /// The content breaks a rule of wire-format.md section 9.1 (a field is missing, has the wrong JSON
    /// type or does not match its pattern); <see cref="ArvoOrchestrationSubjectException.Field"/> names it.
    /// </summary>
    InvalidContent = 0,

    /// <summary>The subject is longer than <see cref="ArvoSubjectOptions.MaxSubjectLength"/> characters.</summary>
    TooLong = 1,

    /// <summary>The subject is not base64 (standard or URL-safe alphabet, padding optional).</summary>
    InvalidBase64 = 2,

    /// <summary>The base64-decoded bytes are not a complete, valid zlib (RFC 1950) stream.</summary>
    InvalidZlib = 3,

    /// <summary>
    /// The content is larger than <see cref="ArvoSubjectOptions.MaxContentBytes"/> bytes (when parsing,
    /// inflation stops as soon as the bound is crossed, so a compression bomb is never fully inflated).
    /// </summary>
    TooLarge = 4,

    /// <summary>The inflated bytes are not valid UTF-8.</summary>
    InvalidUtf8 = 5,

    /// <summary>
    /// The inflated text is not well-formed JSON (including trailing data and nesting deeper than
    /// <see cref="ArvoSubjectOptions.MaxJsonDepth"/>), or a string or key in it holds an escaped lone UTF-16
    /// surrogate such as <c>\ud800</c> (rejected, not replaced; <see cref="ArvoOrchestrationSubjectException.Field"/>
    /// then names where, e.g. <c>meta.tenant</c>).
    /// </summary>
    InvalidJson = 6,
}
