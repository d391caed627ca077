namespace Arvo.Samples.Distributed;

/// <summary>PostgreSQL or RabbitMQ could not be reached, or a worker process failed; the message says which and how to fix it.</summary>
public sealed class DistributedInfrastructureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DistributedInfrastructureException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public DistributedInfrastructureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public DistributedInfrastructureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
