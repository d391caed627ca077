using Microsoft.Extensions.Options;

namespace Arvo.Transport.RabbitMQ;

/// <summary>Checks <see cref="RabbitMqTransportOptions"/>; each failure names the setting (<c>Arvo:RabbitMQ:…</c>), the expected value and the actual one.</summary>
internal sealed class RabbitMqTransportOptionsValidator : IValidateOptions<RabbitMqTransportOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqTransportOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static List<string> Check(RabbitMqTransportOptions options)
    {
        var failures = new List<string>();
        if (options.Uri is not { IsAbsoluteUri: true } uri || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            failures.Add($"{Setting(nameof(options.Uri))} must be an absolute amqp:// or amqps:// URI; it is '{options.Uri}'.");
        }

        if (string.IsNullOrEmpty(options.Prefix) || options.Prefix.Length > 64 || !options.Prefix.All(IsNameChar))
        {
            failures.Add($"{Setting(nameof(options.Prefix))} must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', '-' or ':'; it is '{options.Prefix}'.");
        }

        Range(failures, nameof(options.Partitions), options.Partitions, 1, RabbitMqTransportOptions.MaxPartitions);
        Range(failures, nameof(options.Prefetch), options.Prefetch, 1, ushort.MaxValue);
        Range(failures, nameof(options.RebalanceInterval), options.RebalanceInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Range(failures, nameof(options.RedeliveryDelay), options.RedeliveryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        if (string.IsNullOrWhiteSpace(options.ConnectionName) || options.ConnectionName.Length > 200)
        {
            failures.Add($"{Setting(nameof(options.ConnectionName))} must be 1 to 200 characters, not only white space; it is '{options.ConnectionName}'.");
        }

        return failures;
    }

    private static string Setting(string name) => $"{RabbitMqTransportOptions.SectionName}:{name}";

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':';

    private static void Range<T>(List<string> failures, string setting, T value, T minimum, T maximum)
        where T : IComparable<T>
    {
        if (value.CompareTo(minimum) < 0 || value.CompareTo(maximum) > 0)
        {
            failures.Add($"{Setting(setting)} must be between {minimum} and {maximum}; it is {value}.");
        }
    }
}
