using Arvo.Internal;

namespace Arvo.Contracts;

/// <summary>
/// A contract version: <c>MAJOR.MINOR.PATCH</c> with ASCII digits only (leading zeros allowed,
/// no pre-release or build suffix). <c>0.0.0</c> is the <see cref="Wildcard"/> version.
/// </summary>
/// <remarks>
/// The original text is kept (versions are map keys and appear inside dataschemas), while ordering
/// is numeric (<c>0.0.9 &lt; 0.0.10 &lt; 1.0.0</c>) and never overflows, however many digits a part has.
/// </remarks>
public readonly struct ArvoSemanticVersion : IEquatable<ArvoSemanticVersion>, IComparable<ArvoSemanticVersion>
{
    private readonly string? _text;

    private ArvoSemanticVersion(string text) => _text = text;

    /// <summary>The wildcard version <c>0.0.0</c>: "any version" in dataschemas and subjects.</summary>
    public static ArvoSemanticVersion Wildcard { get; } = new("0.0.0");

    /// <summary>The version text exactly as given.</summary>
    public string Text => _text ?? "0.0.0";

    /// <summary>True for the wildcard <c>0.0.0</c> (also <c>00.0.000</c>).</summary>
    public bool IsWildcard => CompareTo(Wildcard) == 0;

    /// <summary>True when <paramref name="text"/> matches <c>^\d+\.\d+\.\d+$</c> (ASCII digits).</summary>
    public static bool IsValid(string? text) => text is not null && ArvoPatterns.IsValidSemanticVersion(text);

    /// <summary>Parses a version.</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not <c>MAJOR.MINOR.PATCH</c>.</exception>
    public static ArvoSemanticVersion Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new FormatException($"Invalid semantic version '{text}': expected MAJOR.MINOR.PATCH with digits only, e.g. 1.0.0.");

    /// <summary>Parses a version without throwing.</summary>
    public static bool TryParse(string? text, out ArvoSemanticVersion version)
    {
        if (IsValid(text))
        {
            version = new ArvoSemanticVersion(text!);
            return true;
        }

        version = default;
        return false;
    }

    /// <inheritdoc />
    public int CompareTo(ArvoSemanticVersion other)
    {
        var left = Text.AsSpan();
        var right = other.Text.AsSpan();
        for (var part = 0; part < 3; part++)
        {
            var leftPart = NextPart(ref left);
            var rightPart = NextPart(ref right);
            var comparison = CompareNumeric(leftPart, rightPart);
            if (comparison != 0)
            {
                return comparison;
            }
        }

        return 0;
    }

    /// <summary>Numeric equality: <c>1.02.3</c> equals <c>1.2.3</c>.</summary>
    public bool Equals(ArvoSemanticVersion other) => CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ArvoSemanticVersion other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        var text = Text.AsSpan();
        for (var part = 0; part < 3; part++)
        {
            var digits = NextPart(ref text).TrimStart('0');
            foreach (var c in digits)
            {
                hash.Add(c);
            }

            hash.Add('.');
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Numeric equality.</summary>
    public static bool operator ==(ArvoSemanticVersion left, ArvoSemanticVersion right) => left.Equals(right);

    /// <summary>Numeric inequality.</summary>
    public static bool operator !=(ArvoSemanticVersion left, ArvoSemanticVersion right) => !left.Equals(right);

    /// <summary>Numeric ordering.</summary>
    public static bool operator <(ArvoSemanticVersion left, ArvoSemanticVersion right) => left.CompareTo(right) < 0;

    /// <summary>Numeric ordering.</summary>
    public static bool operator >(ArvoSemanticVersion left, ArvoSemanticVersion right) => left.CompareTo(right) > 0;

    /// <summary>Numeric ordering.</summary>
    public static bool operator <=(ArvoSemanticVersion left, ArvoSemanticVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Numeric ordering.</summary>
    public static bool operator >=(ArvoSemanticVersion left, ArvoSemanticVersion right) => left.CompareTo(right) >= 0;

    private static ReadOnlySpan<char> NextPart(ref ReadOnlySpan<char> text)
    {
        var dot = text.IndexOf('.');
        ReadOnlySpan<char> part;
        if (dot < 0)
        {
            part = text;
            text = default;
        }
        else
        {
            part = text[..dot];
            text = text[(dot + 1)..];
        }

        return part;
    }

    private static int CompareNumeric(ReadOnlySpan<char> left, ReadOnlySpan<char> right)
    {
        left = left.TrimStart('0');
        right = right.TrimStart('0');
        return left.Length != right.Length ? left.Length.CompareTo(right.Length) : left.SequenceCompareTo(right);
    }
}
