namespace Arvo.Dispatch;

/// <summary>Settings of one <see cref="IArvoDispatcher.DispatchAsync"/> call. Immutable.</summary>
public sealed record ArvoDispatchOptions
{
    /// <summary>The defaults: failures are dead-lettered.</summary>
    public static ArvoDispatchOptions Default { get; } = new();

    /// <summary>
    /// Whether an event that can never succeed is written to the dead-letter sink. A caller that answers the sender
    /// directly (an HTTP endpoint returning 400) turns it off and reports <see cref="ArvoDispatchResult.Failure"/> instead.
    /// </summary>
    /// <value>Default true.</value>
    public bool DeadLetterFailures { get; init; } = true;
}
