namespace Arvo.Events;

/// <summary>Who owns the deduplication key of an event id (the reference's <c>deduplication</c> field).</summary>
public enum ArvoIdDeduplication
{
    /// <summary><c>DEVELOPER_MANAGED</c>: the trimmed value is the event id, so equal values give equal ids.</summary>
    DeveloperManaged,

    /// <summary>
    /// <c>ARVO_MANAGED</c>: the id is <c>base64(zlib({"uuid":"…","value":"…"}))</c> with a fresh uuid, so every
    /// event gets a distinct id that still carries the value (see <see cref="ArvoManagedEventId"/>).
    /// </summary>
    ArvoManaged,
}
