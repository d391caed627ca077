namespace Arvo.Internal;

/// <summary>
/// The lexical rules of the Arvo wire format, written as plain ASCII scanners.
/// </summary>
/// <remarks>
/// The reference uses JavaScript regular expressions. Hand-written checks keep JavaScript's
/// meaning exactly (<c>\d</c> is ASCII only, <c>$</c> does not match before a trailing newline,
/// both unlike .NET's defaults) and allocate nothing.
/// </remarks>
internal static class ArvoPatterns
{
    /// <summary><c>^[a-z0-9]+(\.[a-z0-9]+)+\.[a-z0-9]+$</c>: at least three non-empty dot-separated segments.</summary>
    public static bool IsValidType(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        var segments = 1;
        var segmentLength = 0;
        foreach (var c in value)
        {
            if (c == '.')
            {
                if (segmentLength == 0)
                {
                    return false;
                }

                segments++;
                segmentLength = 0;
            }
            else if (IsLowerAlphaNumeric(c))
            {
                segmentLength++;
            }
            else
            {
                return false;
            }
        }

        return segmentLength > 0 && segments >= 3;
    }

    /// <summary><c>^[a-z0-9.]+$</c>: the domain rule (dots anywhere, non-empty).</summary>
    public static bool IsValidDomain(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c != '.' && !IsLowerAlphaNumeric(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>^[a-z0-9]+$</c>: the custom extension attribute name rule.</summary>
    public static bool IsValidExtensionName(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsLowerAlphaNumeric(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>^\d+\.\d+\.\d+$</c> with ASCII digits only (leading zeros allowed, no suffixes).</summary>
    public static bool IsValidSemanticVersion(ReadOnlySpan<char> value)
    {
        var parts = 0;
        var digits = 0;
        foreach (var c in value)
        {
            if (c == '.')
            {
                if (digits == 0 || ++parts > 2)
                {
                    return false;
                }

                digits = 0;
            }
            else if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else
            {
                return false;
            }
        }

        return parts == 2 && digits > 0;
    }

    private static bool IsLowerAlphaNumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
