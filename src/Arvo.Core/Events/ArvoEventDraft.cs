using System.Text.Json;

namespace Arvo.Events;

/// <summary>
/// The members of <see cref="ArvoEventInit"/> as a stack value, for the internal
/// <see cref="ArvoEvent.FromDraft"/>: the same defaults and encoding apply.
/// The payload is the JSON object <see cref="Data"/> when <see cref="DataIsElement"/> is set, else
/// <see cref="DataObject"/> (converted as <see cref="ArvoEventInit.Data"/> is).
/// </summary>
internal struct ArvoEventDraft
{
    public string Source;
    public string Type;
    public string Subject;
    public JsonElement Data;
    public bool DataIsElement;
    public object? DataObject;
    public ArvoEventId? Id;
    public string? Time;
    public string? DataContentType;
    public string? DataSchema;
    public string? To;
    public string? AccessControl;
    public string? RedirectTo;
    public double? ExecutionUnits;
    public string? TraceParent;
    public string? TraceState;
    public string? ParentId;
    public string? Domain;
    public IEnumerable<KeyValuePair<string, object?>>? Extensions;
}
