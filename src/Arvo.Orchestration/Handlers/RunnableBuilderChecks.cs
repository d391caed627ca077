namespace Arvo.Handlers;

/// <summary>The argument checks the handler, orchestrator and resumable builders share, so each fails the same way.</summary>
internal static class RunnableBuilderChecks
{
    /// <summary>Checks execution units: a finite number (they are written on events, which reject NaN and infinities).</summary>
    internal static double ExecutionUnits(double value, string paramName = "executionUnits") =>
        double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, "The execution units must be a finite number.");

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
