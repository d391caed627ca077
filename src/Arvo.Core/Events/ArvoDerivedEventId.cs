using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Arvo.Internal;

namespace Arvo.Events;

/// <summary>
/// Deterministic ids for the events emitted in response to a consumed event: a name-based UUID (RFC 9562 version 5,
/// SHA-1) of the emitter, the consumed event's id and the emitted event's position. The same input always yields the
/// same output ids, so a redelivered command answered again carries the ids of the first answer and every consumer's
/// inbox can recognise the repeat.
/// </summary>
/// <remarks>
/// Handlers and orchestrators use it for every emitted event whose id the code did not set itself, unless
/// <see cref="ArvoEventCreationOptions.DeterministicEmittedIds"/> is false (then ids are fresh UUID v4s from the
/// <see cref="ArvoEventCreationOptions.IdGenerator"/>, as in the reference packages).
/// </remarks>
public static class ArvoDerivedEventId
{
    /// <summary>The namespace of Arvo's name-based event ids: <c>6f1d3c52-8a4e-4b8e-9a55-2f0a7c0e4d11</c>.</summary>
    public static readonly Guid Namespace = new("6f1d3c52-8a4e-4b8e-9a55-2f0a7c0e4d11");

    private const int StackBufferSize = 256;

    private const int Sha1Length = 20;

    private static readonly byte[] NamespaceBytes = Namespace.ToByteArray(bigEndian: true);

    // One SHA-1 context per thread, reset by every hash: cheaper than the one-shot HashData, which sets up a new
    // native digest context on each call (the orchestrator derives an id for every emitted event).
    [ThreadStatic]
    private static IncrementalHash? t_sha1;

    /// <summary>
    /// The id request for the event at <paramref name="position"/> that <paramref name="emitter"/> emits for
    /// <paramref name="consumedEventId"/>: a <see cref="ArvoIdDeduplication.DeveloperManaged"/> request for
    /// <see cref="Create"/>'s id when <see cref="ArvoEventCreationOptions.DeterministicEmittedIds"/> is on, else null (a fresh id).
    /// </summary>
    /// <param name="options">The emitter's creation options.</param>
    /// <param name="emitter">The emitter's <c>source</c>.</param>
    /// <param name="consumedEventId">The consumed event's id.</param>
    /// <param name="position">The emitted event's 0-based position in the execution's output.</param>
    /// <returns>The id request, or null.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ArvoEventId? ForEmitted(ArvoEventCreationOptions options, string emitter, string consumedEventId, int position)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.DeterministicEmittedIds ? ArvoEventId.DeveloperManaged(Create(emitter, consumedEventId, position)) : null;
    }

    /// <summary>Creates the id of the event at <paramref name="position"/> among those <paramref name="emitter"/> emitted for <paramref name="consumedEventId"/>.</summary>
    /// <param name="emitter">The emitter's <c>source</c> (two emitters consuming the same event get different ids).</param>
    /// <param name="consumedEventId">The consumed event's id.</param>
    /// <param name="position">The emitted event's 0-based position in the execution's output.</param>
    /// <returns>A lower-case, hyphenated UUID (version 5).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emitter"/> or <paramref name="consumedEventId"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is negative.</exception>
    public static string Create(string emitter, string consumedEventId, int position)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        ArgumentNullException.ThrowIfNull(consumedEventId);
        ArgumentOutOfRangeException.ThrowIfNegative(position);

        // name = emitter \n consumed id \n position, after the 16 namespace bytes (big-endian), as RFC 9562 5.5 says.
        // Ids and sources are ASCII in practice, so the exact UTF-8 length is cheap and almost always fits the stack.
        var nameLength = Encoding.UTF8.GetByteCount(emitter) + Encoding.UTF8.GetByteCount(consumedEventId) + 2 + 11;
        var rented = nameLength + 16 <= StackBufferSize ? null : ArrayPool<byte>.Shared.Rent(nameLength + 16);
        Span<byte> buffer = rented ?? stackalloc byte[StackBufferSize];
        try
        {
            NamespaceBytes.CopyTo(buffer);
            var length = 16;
            length += Encoding.UTF8.GetBytes(emitter, buffer[length..]);
            buffer[length++] = (byte)'\n';
            length += Encoding.UTF8.GetBytes(consumedEventId, buffer[length..]);
            buffer[length++] = (byte)'\n';
            position.TryFormat(buffer[length..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
            length += digits;

            Span<byte> hash = stackalloc byte[Sha1Length];
            Sha1(buffer[..length], hash);
            hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
            return new Guid(hash[..16], bigEndian: true).ToString("D");
        }
        finally
        {
            if (rented is not null)
            {
                PooledArrays.Return(rented);
            }
        }
    }

#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5 name-based UUIDs; it is not used for security.
    private static void Sha1(ReadOnlySpan<byte> name, Span<byte> hash)
    {
        var sha1 = t_sha1 ?? IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        t_sha1 = null;
        sha1.AppendData(name);
        sha1.GetHashAndReset(hash);

        // Only put back a context that finished cleanly, so that a failure never leaves half a name in it.
        t_sha1 = sha1;
    }
#pragma warning restore CA5350
}
