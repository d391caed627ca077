namespace Arvo.Transport;

/// <summary>What a completed <see cref="IArvoTransport.PublishAsync"/> promises (<see cref="IArvoTransport.PublishGuarantee"/>).</summary>
public enum ArvoPublishGuarantee
{
    /// <summary>The event is held by this process only, until a subscriber settles it; a crash loses it.</summary>
    InProcess,

    /// <summary>The event is held durably by a broker (a publisher confirm was received).</summary>
    Durable,
}
