namespace Arvo.Broker;

/// <summary>
/// An event with a non-null <c>domain</c> emitted by a handler registered on a <see cref="SimpleEventBroker"/>.
/// Such events are not published on the broker; they go to <see cref="SimpleEventBrokerOptions.OnDomainedEvent"/>.
/// </summary>
/// <param name="Domain">The event's domain (never null).</param>
/// <param name="Event">The event.</param>
/// <param name="Broker">The broker, e.g. to publish the event after an external step.</param>
public sealed record ArvoDomainedEvent(string Domain, ArvoEvent Event, SimpleEventBroker Broker);
