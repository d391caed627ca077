using Arvo.Contracts;
using Arvo.Internal;

namespace Arvo.Handlers;

/// <summary>The argument checks the handler, orchestrator and resumable builders share, so each fails the same way.</summary>
internal static class RunnableBuilderChecks
{
    /// <summary>Checks execution units: a finite number (they are written on events, which reject NaN and infinities).</summary>
    internal static double ExecutionUnits(double value, string paramName = "executionUnits") =>
        double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, "The execution units must be a finite number.");

    /// <summary>
    /// Checks the version a function is registered for: a contract version, <c>MAJOR.MINOR.PATCH</c> with digits only, not
    /// the wildcard <c>0.0.0</c> (no contract declares it). A malformed key could never be selected, so it is refused when
    /// it is given.
    /// </summary>
    internal static string Version(string version, string paramName = "version")
    {
        ArgumentNullException.ThrowIfNull(version, paramName);
        if (!ArvoSemanticVersion.TryParse(version, out var parsed))
        {
            throw new ArgumentException(
                $"The version '{version}' is not a contract version: it must be MAJOR.MINOR.PATCH with digits only, e.g. 0.0.1.", paramName);
        }

        if (parsed.IsWildcard)
        {
            throw new ArgumentException(
                $"The version '{version}' is the reserved wildcard version, which no contract declares: give a declared version, e.g. 0.0.1.", paramName);
        }

        return version;
    }

    /// <summary>Checks one list of default emission domains.</summary>
    internal static void DomainList(IReadOnlyList<string?>? list, string member, bool allowEmpty, string paramName = "domains")
    {
        if (list is null)
        {
            throw new ArgumentNullException(paramName, $"ArvoEventEmissionDomains.{member} must not be null.");
        }

        if (!allowEmpty && list.Count == 0)
        {
            throw new ArgumentException(
                $"ArvoEventEmissionDomains.{member} must hold at least one value (use [ArvoDomain.Local] for no domain).", paramName);
        }

        // A literal is written on every event it applies to, so a bad one is refused here rather than at the first event.
        // ArvoDomain's symbols satisfy the same rule; null and "" mean no domain.
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is { Length: > 0 } literal && !ArvoPatterns.IsValidDomain(literal))
            {
                throw new ArgumentException(
                    $"ArvoEventEmissionDomains.{member}[{i}] = '{literal}' is not a valid domain: a domain is lowercase letters, digits and dots (e.g. test.domain), an ArvoDomain symbol, or null for no domain.",
                    paramName);
            }
        }
    }

    /// <summary>Checks an execution timeout: positive or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    internal static TimeSpan ExecutionTimeout(TimeSpan timeout, string paramName = "timeout")
    {
        if (timeout != Timeout.InfiniteTimeSpan && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, timeout, "The execution timeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        return timeout;
    }

    /// <summary>Checks an inbox capacity: positive.</summary>
    internal static int InboxCapacity(int capacity, string paramName = "capacity")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1, paramName);
        return capacity;
    }
}
