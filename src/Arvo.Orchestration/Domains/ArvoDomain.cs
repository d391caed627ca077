using System.Diagnostics;
using Arvo.Domains;

namespace Arvo;

/// <summary>
/// Domain values for emitted events (orchestrator.md section 12): the symbolic values that are resolved against
/// the execution context, and <see cref="Resolve"/>, the reference's <c>resolveEventDomain</c>.
/// </summary>
/// <remarks>
/// Any string that is not one of the symbols is a literal domain. <see cref="Local"/> (null) is the default
/// (no-domain) bucket.
/// </remarks>
public static class ArvoDomain
{
    /// <summary>The handler's own contract domain (<c>domain.contract.self.inherit</c>).</summary>
    public const string FromSelfContract = "domain.contract.self.inherit";

    /// <summary>The domain of the contract the event belongs to (<c>domain.contract.inherit</c>).</summary>
    public const string FromEventContract = "domain.contract.inherit";

    /// <summary>The consumed (triggering) event's domain (<c>domain.event.inherit</c>).</summary>
    public const string FromTriggeringEvent = "domain.event.inherit";

    /// <summary>The <c>execution.domain</c> of the current subject (<c>domain.event.current.subject</c>).</summary>
    public const string FromCurrentSubject = "domain.event.current.subject";

    /// <summary>The <c>execution.domain</c> of the parent subject (<c>domain.parent.subject</c>).</summary>
    public const string FromParentSubject = "domain.parent.subject";

    /// <summary>
    /// Stay in the orchestration's domain (<c>domain.orchestration.context</c>): null unless the event crosses
    /// into or out of a domain (see <see cref="Resolve"/>, step 7).
    /// </summary>
    public const string OrchestrationContext = "domain.orchestration.context";

    /// <summary>No domain: the default bucket (the reference's <c>LOCAL</c>, wire value null).</summary>
    public const string? Local = null;

    /// <summary>The literal domain value that the port treats as <see cref="Local"/> when an event is emitted (spec README D2).</summary>
    public const string DefaultLiteral = "default";

    private const string ParseFailurePrefix = "Unable to parse the provided subject. Falling back to ArvoDomain.LOCAL. Error: ";

    /// <summary>
    /// Resolves one domain value (reference <c>resolveEventDomain</c>, orchestrator.md 12 steps 1–8).
    /// </summary>
    /// <param name="domainToResolve">A symbol, a literal domain, or null.</param>
    /// <param name="parentSubject">The workflow's parent subject; null for handlers and root workflows.</param>
    /// <param name="currentSubject">The consumed event's subject.</param>
    /// <param name="handlerSelfContract">The version view of the executing handler's own contract.</param>
    /// <param name="eventContract">The contract of the event being emitted, if known.</param>
    /// <param name="triggeringEvent">The consumed event.</param>
    /// <returns>
    /// The domain, or null. A literal is returned unchanged (no validation; an invalid literal fails when the event is built,
    /// and <c>"default"</c> is only mapped to null by <see cref="Normalize"/>). A subject that is not an orchestration subject
    /// yields null and is recorded as an exception on <see cref="Activity.Current"/>; it never throws.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="handlerSelfContract"/> or <paramref name="triggeringEvent"/> is null.</exception>
    public static string? Resolve(
        string? domainToResolve,
        string? parentSubject,
        string? currentSubject,
        VersionedArvoContract handlerSelfContract,
        VersionedArvoContract? eventContract,
        ArvoEvent triggeringEvent)
    {
        ArgumentNullException.ThrowIfNull(handlerSelfContract);
        ArgumentNullException.ThrowIfNull(triggeringEvent);
        var subjects = new DomainSubjects(parentSubject, currentSubject);
        return ResolveCore(domainToResolve, ref subjects, handlerSelfContract, eventContract, triggeringEvent);
    }

    /// <summary>
    /// <see cref="Resolve(string?, string?, string?, VersionedArvoContract, VersionedArvoContract?, ArvoEvent)"/> over
    /// subjects that are decoded at most once (and not at all when the caller already parsed them).
    /// </summary>
    internal static string? ResolveCore(
        string? domainToResolve,
        ref DomainSubjects subjects,
        VersionedArvoContract handlerSelfContract,
        VersionedArvoContract? eventContract,
        ArvoEvent triggeringEvent)
    {
        if (string.IsNullOrEmpty(domainToResolve))
        {
            return null;
        }

        switch (domainToResolve)
        {
            case FromEventContract:
                return eventContract?.Domain;
            case FromSelfContract:
                return handlerSelfContract.Domain;
            case FromTriggeringEvent:
                return triggeringEvent.Domain;
            case FromCurrentSubject:
                return subjects.CurrentDomain;
            case FromParentSubject:
                return subjects.HasParent ? subjects.ParentDomain : null;
            case OrchestrationContext:
                if (!subjects.HasParent)
                {
                    // Lazy: the subject is only decoded when the triggering event has a domain.
                    var trigger = triggeringEvent.Domain;
                    if (trigger is null)
                    {
                        return null;
                    }

                    var current = subjects.CurrentDomain;
                    return current == trigger ? null : current;
                }
                else
                {
                    var current = subjects.CurrentDomain;
                    var parent = subjects.ParentDomain;
                    return current == parent ? null : parent;
                }

            default:
                return domainToResolve;
        }
    }

    /// <summary>Maps the literal <c>"default"</c> to null (spec README D2); every other value is returned unchanged.</summary>
    /// <param name="domain">A resolved domain.</param>
    /// <returns>The domain to stamp on the emitted event.</returns>
    public static string? Normalize(string? domain) => domain == DefaultLiteral ? null : domain;

    /// <summary>True when <paramref name="value"/> is one of the symbolic values (not <see cref="Local"/>).</summary>
    /// <param name="value">A domain value.</param>
    /// <returns>Whether <see cref="Resolve"/> would substitute it.</returns>
    public static bool IsSymbol(string? value) => value is FromSelfContract or FromEventContract or FromTriggeringEvent
        or FromCurrentSubject or FromParentSubject or OrchestrationContext;

    /// <summary>The <c>execution.domain</c> of <paramref name="subject"/>; null (recorded on the current activity) when it is not an orchestration subject.</summary>
    internal static string? SubjectDomain(string? subject)
    {
        if (ArvoOrchestrationSubject.TryParse(subject, null, out var content, out var cause))
        {
            return content.Execution.Domain;
        }

        if (Activity.Current is { IsAllDataRequested: true } activity)
        {
            var failure = new InvalidOperationException(ParseFailurePrefix + cause.Message, cause);
            activity.SetTag("exception.type", failure.GetType().Name);
            activity.SetTag("exception.message", failure.Message);
            activity.AddException(failure);
        }

        return null;
    }
}
