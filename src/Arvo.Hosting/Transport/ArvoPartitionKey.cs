namespace Arvo.Transport;

/// <summary>
/// The key that keeps one workflow's events in order: the event's subject. An orchestration subject names one
/// workflow execution, and the commands a workflow sends and the answers it receives carry the workflow's subject, so
/// every event of one workflow shares the key.
/// </summary>
public static class ArvoPartitionKey
{
    /// <summary>The partition key of <paramref name="arvoEvent"/>.</summary>
    /// <param name="arvoEvent">The event.</param>
    /// <returns>The event's subject.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="arvoEvent"/> is null.</exception>
    public static string For(ArvoEvent arvoEvent)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        return arvoEvent.Subject;
    }
}
