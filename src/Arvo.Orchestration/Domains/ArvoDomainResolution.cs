namespace Arvo.Domains;

/// <summary>
/// Resolves a list of domain values for one emitted event (orchestrator.md 8 and 12): each value through
/// <see cref="ArvoDomain.Resolve"/> and <see cref="ArvoDomain.Normalize"/>, then de-duplicated <b>after</b> resolution
/// (port decision, scenario O-17: the reference orchestrator de-duplicates before resolving).
/// </summary>
internal static class ArvoDomainResolution
{
    /// <summary>The one-domain answers shared by every event that resolves to a single domain (never written to).</summary>
    private static readonly string?[] NullDomainOnly = [null];

    /// <summary>The distinct resolved domains, in first-appearance order.</summary>
    public static IReadOnlyList<string?> ResolveDistinct(
        IReadOnlyList<string?> values,
        string? parentSubject,
        string? currentSubject,
        VersionedArvoContract handlerSelfContract,
        VersionedArvoContract? eventContract,
        ArvoEvent triggeringEvent)
    {
        var subjects = new DomainSubjects(parentSubject, currentSubject);
        return ResolveDistinct(values, ref subjects, handlerSelfContract, eventContract, triggeringEvent);
    }

    /// <summary>The distinct resolved domains, in first-appearance order, over subjects decoded at most once.</summary>
    public static IReadOnlyList<string?> ResolveDistinct(
        IReadOnlyList<string?> values,
        ref DomainSubjects subjects,
        VersionedArvoContract handlerSelfContract,
        VersionedArvoContract? eventContract,
        ArvoEvent triggeringEvent)
    {
        // The usual case, one value: no list per event (and none at all for the default domain).
        if (values.Count == 1)
        {
            var single = ArvoDomain.Normalize(ArvoDomain.ResolveCore(values[0], ref subjects, handlerSelfContract, eventContract, triggeringEvent));
            return single is null ? NullDomainOnly : [single];
        }

        var resolved = new List<string?>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var domain = ArvoDomain.Normalize(ArvoDomain.ResolveCore(values[i], ref subjects, handlerSelfContract, eventContract, triggeringEvent));
            if (!resolved.Contains(domain))
            {
                resolved.Add(domain);
            }
        }

        return resolved;
    }
}
