using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Arvo.Internal;

namespace Arvo.Memory;

/// <summary>
/// Decorates any <see cref="IMachineMemory{T}"/> with one INTERNAL span per operation (the reference's
/// <c>TelemetredSimpleMachineMemory</c>, telemetry.md): <c>Read {name} Memory</c>, <c>Write {name} Memory</c>,
/// <c>Lock {name} Memory</c>, <c>Unlock {name} Memory</c>, each tagged <c>arvo.memory.id</c>; the write span also
/// carries <c>arvo.memory.record.bytes</c>. Semantics are those of the inner memory; its errors mark the span as
/// ERROR and propagate.
/// </summary>
/// <typeparam name="T">The stored record.</typeparam>
public sealed class TelemetryMachineMemory<T> : IMachineMemory<T>
    where T : class
{
    /// <summary>The default memory name, <c>Simple</c>, which gives the reference's span names (<c>Read Simple Memory</c>, …).</summary>
    public const string DefaultMemoryName = "Simple";

    private const string IdAttribute = "arvo.memory.id";
    private const string RecordBytesAttribute = "arvo.memory.record.bytes";

    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly string _readSpan;
    private readonly string _writeSpan;
    private readonly string _lockSpan;
    private readonly string _unlockSpan;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The memory that does the work.</param>
    /// <param name="memoryName">The name inside the span names; default <see cref="DefaultMemoryName"/>.</param>
    /// <param name="serializerOptions">How a record is serialised to measure <c>arvo.memory.record.bytes</c>; null = <see cref="JsonSerializerOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="memoryName"/> is null or empty.</exception>
    public TelemetryMachineMemory(IMachineMemory<T> inner, string memoryName = DefaultMemoryName, JsonSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrEmpty(memoryName);
        Inner = inner;
        _typeInfo = (JsonTypeInfo<T>)(serializerOptions ?? JsonSerializerOptions.Default).GetTypeInfo(typeof(T));
        _readSpan = $"Read {memoryName} Memory";
        _writeSpan = $"Write {memoryName} Memory";
        _lockSpan = $"Lock {memoryName} Memory";
        _unlockSpan = $"Unlock {memoryName} Memory";
    }

    /// <summary>The decorated memory.</summary>
    public IMachineMemory<T> Inner { get; }

    /// <inheritdoc />
    public async ValueTask<MachineMemoryEntry<T>?> ReadAsync(string id, CancellationToken cancellationToken = default)
    {
        using var activity = Start(_readSpan, id);
        try
        {
            return await Inner.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ArvoActivities.RecordFailure(activity, exception);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> WriteAsync(string id, MachineMemoryWrite<T> write, CancellationToken cancellationToken = default)
    {
        using var activity = Start(_writeSpan, id);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RecordBytesAttribute, MeasureBytes(write?.Record));
        }

        try
        {
            return await Inner.WriteAsync(id, write!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ArvoActivities.RecordFailure(activity, exception);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        using var activity = Start(_lockSpan, id);
        try
        {
            return await Inner.LockAsync(id, owner, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ArvoActivities.RecordFailure(activity, exception);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        using var activity = Start(_unlockSpan, id);
        try
        {
            return await Inner.UnlockAsync(id, owner, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ArvoActivities.RecordFailure(activity, exception);
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>Not traced: the relay polls it.</remarks>
    public ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default) =>
        Inner.ReadPendingOutboxAsync(maxCount, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Not traced: it runs after every publication.</remarks>
    public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
        Inner.MarkPublishedAsync(id, eventIds, cancellationToken);

    private static Activity? Start(string name, string id)
    {
        var activity = ArvoActivities.StartInternal(name);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(IdAttribute, id);
        }

        return activity;
    }

    /// <summary>UTF-8 byte length of the JSON record; 0 when missing; -1 when it cannot be serialised (telemetry.md).</summary>
    private long MeasureBytes(T? data)
    {
        if (data is null)
        {
            return 0;
        }

        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(data, _typeInfo).LongLength;
        }
#pragma warning disable CA1031 // A record that cannot be measured must not break the write; the reference reports -1.
        catch (Exception)
#pragma warning restore CA1031
        {
            return -1;
        }
    }
}
