namespace Arvo.Internal;

/// <summary>
/// The <c>time</c> attribute: an exact validator for the reference's accepted strings and the
/// formatter of generated timestamps.
/// </summary>
/// <remarks>
/// The reference validates with zod's <c>datetime({ offset: true })</c>, i.e. the JavaScript regex
/// <c>^DATE T ([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)? (Z|[+-]\d{2}:?\d{2})$</c> where DATE is
/// <c>\d{4}-MM-DD</c> with real month lengths and the Gregorian leap-year rule for 29 February.
/// Offsets are not range-checked (<c>+99:99</c> is accepted), seconds are optional, the fraction
/// has any number of digits, and only ASCII digits, upper-case <c>T</c> and <c>Z</c> are accepted.
/// </remarks>
internal static class ArvoTime
{
    /// <summary>Length of a generated timestamp, <c>yyyy-MM-ddTHH:mm:ss.fff+00:00</c>.</summary>
    public const int GeneratedLength = 29;

    /// <summary>True when <paramref name="value"/> is accepted by the reference's time check.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => TryParse(value, out _);

    /// <summary>
    /// The instant named by a valid time string, truncated to 100 ns ticks. False when the string is
    /// invalid or names something <see cref="DateTimeOffset"/> cannot hold (year 0000, offsets beyond
    /// ±14:00 or with minutes ≥ 60, instants outside the supported range).
    /// </summary>
    public static bool TryGetInstant(ReadOnlySpan<char> value, out DateTimeOffset instant)
    {
        instant = default;
        if (!TryParse(value, out var parts) || parts.Year == 0 || parts.OffsetMinutes >= 60)
        {
            return false;
        }

        var offsetMinutes = (parts.OffsetHours * 60) + parts.OffsetMinutes;
        if (offsetMinutes > 14 * 60)
        {
            return false;
        }

        var offset = TimeSpan.FromMinutes(parts.OffsetNegative ? -offsetMinutes : offsetMinutes);
        var local = new DateTime(parts.Year, parts.Month, parts.Day, parts.Hour, parts.Minute, parts.Second, DateTimeKind.Unspecified);
        var utcTicks = local.Ticks + parts.FractionTicks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        instant = new DateTimeOffset(local.AddTicks(parts.FractionTicks), offset);
        return true;
    }

    /// <summary>The last generated timestamp of this thread: events made within one millisecond share its text.</summary>
    [ThreadStatic]
    private static GeneratedTime? t_lastGenerated;

    /// <summary>
    /// <see cref="FormatUtc"/>, reusing this thread's previous text when <paramref name="now"/> falls in the same UTC
    /// millisecond (strings are immutable, and a busy producer makes many events per millisecond).
    /// </summary>
    public static string FormatUtcShared(DateTimeOffset now)
    {
        var millisecond = now.UtcTicks / TimeSpan.TicksPerMillisecond;
        if (t_lastGenerated is { } last && last.Millisecond == millisecond)
        {
            return last.Text;
        }

        var text = FormatUtc(now);
        t_lastGenerated = new GeneratedTime(millisecond, text);
        return text;
    }

    /// <summary>
    /// Formats the true UTC instant of <paramref name="now"/> as <c>yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'</c>
    /// (the reference's format, without its local-time shift).
    /// </summary>
    public static string FormatUtc(DateTimeOffset now) =>
        string.Create(GeneratedLength, now.UtcDateTime, static (span, utc) =>
        {
            Write4(span, 0, utc.Year);
            span[4] = '-';
            Write2(span, 5, utc.Month);
            span[7] = '-';
            Write2(span, 8, utc.Day);
            span[10] = 'T';
            Write2(span, 11, utc.Hour);
            span[13] = ':';
            Write2(span, 14, utc.Minute);
            span[16] = ':';
            Write2(span, 17, utc.Second);
            span[19] = '.';
            var millisecond = utc.Millisecond;
            span[20] = (char)('0' + (millisecond / 100));
            span[21] = (char)('0' + (millisecond / 10 % 10));
            span[22] = (char)('0' + (millisecond % 10));
            "+00:00".AsSpan().CopyTo(span[23..]);
        });

    private static void Write2(Span<char> span, int index, int value)
    {
        span[index] = (char)('0' + (value / 10));
        span[index + 1] = (char)('0' + (value % 10));
    }

    private static void Write4(Span<char> span, int index, int value)
    {
        Write2(span, index, value / 100);
        Write2(span, index + 2, value % 100);
    }

    private static bool TryParse(ReadOnlySpan<char> s, out Parts parts)
    {
        parts = default;

        // Shortest accepted form: yyyy-MM-ddTHH:mmZ (17 characters).
        if (s.Length < 17 ||
            !TryDigits(s, 0, 4, out parts.Year) || s[4] != '-' ||
            !TryDigits(s, 5, 2, out parts.Month) || s[7] != '-' ||
            !TryDigits(s, 8, 2, out parts.Day) || s[10] != 'T' ||
            !TryDigits(s, 11, 2, out parts.Hour) || s[13] != ':' ||
            !TryDigits(s, 14, 2, out parts.Minute))
        {
            return false;
        }

        if (parts.Month is < 1 or > 12 || parts.Day < 1 || parts.Day > DaysInMonth(parts.Year, parts.Month) ||
            parts.Hour > 23 || parts.Minute > 59)
        {
            return false;
        }

        var position = 16;
        if (s[position] == ':')
        {
            if (!TryDigits(s, position + 1, 2, out parts.Second) || parts.Second > 59)
            {
                return false;
            }

            position += 3;
            if (position < s.Length && s[position] == '.')
            {
                position++;
                var start = position;
                long ticks = 0;
                while (position < s.Length && char.IsAsciiDigit(s[position]))
                {
                    var digitIndex = position - start;
                    if (digitIndex < 7)
                    {
                        ticks += (s[position] - '0') * TickScale[digitIndex];
                    }

                    position++;
                }

                if (position == start)
                {
                    return false;
                }

                parts.FractionTicks = ticks;
            }
        }

        if (position >= s.Length)
        {
            return false;
        }

        var zone = s[position];
        if (zone == 'Z')
        {
            return position + 1 == s.Length;
        }

        if (zone is not ('+' or '-'))
        {
            return false;
        }

        parts.OffsetNegative = zone == '-';
        position++;
        if (!TryDigits(s, position, 2, out parts.OffsetHours))
        {
            return false;
        }

        position += 2;
        if (position < s.Length && s[position] == ':')
        {
            position++;
        }

        return TryDigits(s, position, 2, out parts.OffsetMinutes) && position + 2 == s.Length;
    }

    private static ReadOnlySpan<long> TickScale => [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var c = s[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => IsLeapYear(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    // Gregorian rule, including year 0000 (the reference regex treats it as a leap year).
    private static bool IsLeapYear(int year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    private struct Parts
    {
        public int Year;
        public int Month;
        public int Day;
        public int Hour;
        public int Minute;
        public int Second;
        public long FractionTicks;
        public bool OffsetNegative;
        public int OffsetHours;
        public int OffsetMinutes;
    }

    private sealed record GeneratedTime(long Millisecond, string Text);
}
