namespace Arvo.Resumable;

/// <summary>The contracts a resumable handler sees (resumable.md 3).</summary>
/// <param name="Self">The self contract version of the workflow subject's version.</param>
/// <param name="Services">The service contract versions by the name they were registered with.</param>
public sealed record ArvoResumableContracts(VersionedArvoContract Self, IReadOnlyDictionary<string, VersionedArvoContract> Services);
