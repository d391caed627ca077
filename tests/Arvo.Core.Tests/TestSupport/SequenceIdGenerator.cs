namespace Arvo.Tests.TestSupport;

/// <summary>Returns the given ids in order (deterministic execution ids for tests).</summary>
internal sealed class SequenceIdGenerator(params string[] ids) : IArvoIdGenerator
{
    private int _next;

    public string NewId() => ids[_next++];
}
