namespace Arvo;

/// <summary>PLACEHOLDER — replaced by the events work.</summary>
public sealed partial class ArvoEvent
{
}
