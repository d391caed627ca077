namespace Arvo.Subjects;

/// <summary>
/// How strictly <see cref="ArvoOrchestrationSubject"/> reads subjects written by older Arvo versions.
/// </summary>
public enum ArvoSubjectCompatibility
{
    /// <summary>
    /// The default. Accepts arvo-core 2.x subjects, whose <c>execution</c> object has no <c>domain</c>
    /// key, and reads them with <see cref="ArvoSubjectExecution.Domain"/> = <see langword="null"/>
    /// (wire-format.md section 13, scenario S-6). This is a deliberate relaxation: arvo-core 3.0.25
    /// rejects such subjects. Every other rule is enforced exactly as in 3.0.25.
    /// </summary>
    Lenient = 0,

    /// <summary>
    /// Exactly arvo-core 3.0.25: <c>execution.domain</c> is a required key (its value may be
    /// <see langword="null"/>), so 2.x subjects are rejected with
    /// <see cref="ArvoSubjectErrorKind.InvalidContent"/> naming <c>execution.domain</c>.
    /// </summary>
    Strict = 1,
}
