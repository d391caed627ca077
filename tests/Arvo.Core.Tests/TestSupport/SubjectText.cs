using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Arvo.Subjects;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// Builds and reads subject strings with the runtime's zlib directly, independently of the code
/// under test, so that tests can feed hand-written JSON and check what was really encoded.
/// </summary>
internal static class SubjectText
{
    /// <summary><c>base64(zlib(UTF-8(json)))</c>.</summary>
    public static string Encode(string json) => EncodeBytes(Encoding.UTF8.GetBytes(json));

    /// <summary><c>base64(zlib(bytes))</c>.</summary>
    public static string EncodeBytes(byte[] content, CompressionLevel level = CompressionLevel.Optimal) =>
        Convert.ToBase64String(Compress(content, level));

    /// <summary>The zlib stream of <paramref name="content"/>.</summary>
    public static byte[] Compress(byte[] content, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, level, leaveOpen: true))
        {
            zlib.Write(content);
        }

        return output.ToArray();
    }

    /// <summary>The JSON text inside a subject.</summary>
    public static string DecodeText(string subject)
    {
        using var input = new MemoryStream(Convert.FromBase64String(subject));
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(zlib, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The JSON inside a subject, as a node.</summary>
    public static JsonNode DecodeNode(string subject) => Parse(DecodeText(subject));

    /// <summary>Parses JSON text that must not be the literal null.</summary>
    public static JsonNode Parse(string json) => JsonNode.Parse(json) ?? throw new InvalidOperationException("JSON null");

    /// <summary>The content as a JSON node (through <see cref="ArvoOrchestrationSubjectContent.ToJsonString"/>).</summary>
    public static JsonNode ToNode(this ArvoOrchestrationSubjectContent content) => Parse(content.ToJsonString());
}
