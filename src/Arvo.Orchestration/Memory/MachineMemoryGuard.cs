namespace Arvo.Memory;

/// <summary>Argument checks shared by the memories, with the reference's messages.</summary>
internal static class MachineMemoryGuard
{
    public static void Id(string? id, string operation)
    {
        if (id is null)
        {
            throw new ArgumentNullException(nameof(id), $"Machine ID is required for {operation} operation");
        }

        if (id.Length == 0)
        {
            throw new ArgumentException($"Machine ID is required for {operation} operation", nameof(id));
        }
    }

    public static void Data(object? data)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data), "Data is required for write operation");
        }
    }

    public static void Owner(MachineMemoryLockToken owner, string operation)
    {
        if (owner.IsEmpty)
        {
            throw new ArgumentException($"Lock owner token is required for {operation} operation", nameof(owner));
        }
    }
}
