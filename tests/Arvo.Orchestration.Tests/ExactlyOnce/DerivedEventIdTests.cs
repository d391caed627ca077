using System.Security.Cryptography;
using System.Text;
using Arvo.Events;

namespace Arvo.Tests.ExactlyOnce;

/// <summary><see cref="ArvoDerivedEventId"/>: RFC 9562 version-5 ids (expected values computed with Python's <c>uuid.uuid5</c>).</summary>
public sealed class DerivedEventIdTests
{
    [Theory]
    [InlineData("com.test.handler", "event-1", 0, "c40a3d82-140e-51f1-851d-de8c6b8e540d")]
    [InlineData("com.test.handler", "event-1", 1, "723e7340-d600-5e11-96d3-1217c11baa31")]
    public void Create_KnownNames_GiveTheRfcVersion5Uuid(string emitter, string consumed, int position, string expected)
    {
        ArvoDerivedEventId.Create(emitter, consumed, position).Should().Be(expected);
    }

    [Fact]
    public void Create_LongNonAsciiName_UsesTheRentedBufferAndGivesTheSameUuid()
    {
        ArvoDerivedEventId.Create("café", new string('x', 600), 12).Should().Be("878e8b22-49cc-56ef-8a01-d6e534b28520");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(224)]
    [InlineData(225)]
    [InlineData(226)]
    [InlineData(300)]
    public void Create_NamesAroundTheStackBufferSize_MatchTheOneShotSha1(int consumedLength)
    {
        var consumed = new string('é', consumedLength / 2) + new string('y', consumedLength - consumedLength / 2);

        ArvoDerivedEventId.Create("com.test.handler", consumed, 7).Should().Be(Reference("com.test.handler", consumed, 7));
    }

    [Fact]
    public void Create_ManyThreadsAtOnce_EachIdMatchesTheOneShotSha1()
    {
        // The SHA-1 context is kept per thread; ids computed concurrently must not mix names.
        var inputs = Enumerable.Range(0, 400).Select(i => (Emitter: $"com.emitter.n{i % 7}", Consumed: Guid.NewGuid().ToString(), Position: i % 5)).ToArray();
        var expected = inputs.Select(input => Reference(input.Emitter, input.Consumed, input.Position)).ToArray();
        var mismatches = 0;

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            for (var round = 0; round < 20; round++)
            {
                for (var i = worker; i < inputs.Length; i += 1 + worker)
                {
                    if (ArvoDerivedEventId.Create(inputs[i].Emitter, inputs[i].Consumed, inputs[i].Position) != expected[i])
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        });

        mismatches.Should().Be(0);
    }

    [Fact]
    public void Create_NegativePosition_Throws()
    {
        var act = () => ArvoDerivedEventId.Create("a", "b", -1);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    /// <summary>RFC 9562 5.5 written out with the runtime's one-shot SHA-1.</summary>
    private static string Reference(string emitter, string consumed, int position)
    {
        var name = Encoding.UTF8.GetBytes($"{emitter}\n{consumed}\n{position}");
        var input = ArvoDerivedEventId.Namespace.ToByteArray(bigEndian: true).Concat(name).ToArray();
#pragma warning disable CA5350 // RFC 9562 version 5 is defined with SHA-1.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }
}
