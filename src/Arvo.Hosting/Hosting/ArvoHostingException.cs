namespace Arvo.Hosting;

/// <summary>
/// The host cannot start as configured: a registered handler, orchestrator or resumable could not be built (the inner
/// exception names the contract, machine or member), or two of them consume the same source.
/// </summary>
public sealed class ArvoHostingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What cannot start, and why.</param>
    /// <param name="innerException">The failure behind it.</param>
    public ArvoHostingException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
