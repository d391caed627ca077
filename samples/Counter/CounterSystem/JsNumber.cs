using System.Globalization;

namespace Arvo.Samples.Counter;

/// <summary>Formats a double the way JavaScript's <c>String(number)</c> does, so messages match the reference's.</summary>
internal static class JsNumber
{
    /// <summary>
    /// ECMAScript Number::toString: the shortest round-trip digits, written without an exponent when the decimal
    /// exponent is in [-6, 21), otherwise as <c>d.ddde+N</c> (e.g. <c>1e+300</c>, <c>1152921504606847000</c>).
    /// </summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        var sign = value < 0 ? "-" : string.Empty;
        // "R" gives the shortest round-trip digits (since .NET Core 3.0); normalise them to digits and an exponent.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentIndex = shortest.IndexOf('E', StringComparison.Ordinal);
        string mantissa;
        int exponent;
        if (exponentIndex >= 0)
        {
            mantissa = shortest[..exponentIndex];
            exponent = int.Parse(shortest[(exponentIndex + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        else
        {
            mantissa = shortest;
            exponent = 0;
        }

        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point >= 0 ? point : mantissa.Length;
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        // n: the position of the decimal point relative to the first significant digit (ECMAScript's n).
        var n = integerDigits - leadingZeros + exponent;
        var k = digits.Length;
        if (k <= n && n <= 21)
        {
            return sign + digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return sign + digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return sign + "0." + new string('0', -n) + digits;
        }

        var e = n - 1;
        var exponentText = (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        return sign + (k == 1 ? digits : digits[..1] + "." + digits[1..]) + "e" + exponentText;
    }
}
