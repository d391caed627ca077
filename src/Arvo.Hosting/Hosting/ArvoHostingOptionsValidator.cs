using Microsoft.Extensions.Options;

namespace Arvo.Hosting;

/// <summary>Checks <see cref="ArvoHostingOptions"/> when the host starts; each failure names the setting, the expected range and the value.</summary>
internal sealed class ArvoHostingOptionsValidator : IValidateOptions<ArvoHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, ArvoHostingOptions options)
    {
        var failures = new List<string>();
        Check(failures, nameof(options.MaxRetryAttempts), options.MaxRetryAttempts, 0, 100);
        Check(failures, nameof(options.RetryBaseDelay), options.RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Check(failures, nameof(options.RetryMaxDelay), options.RetryMaxDelay, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Check(failures, nameof(options.MaxConcurrency), options.MaxConcurrency, 1, 1024);
        Check(failures, nameof(options.OutboxRelayInterval), options.OutboxRelayInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Check(failures, nameof(options.OutboxRelayMinimumAge), options.OutboxRelayMinimumAge, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(failures, nameof(options.OutboxRelayBatchSize), options.OutboxRelayBatchSize, 1, 10_000);
        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add($"Arvo:{nameof(options.RetryMaxDelay)} must be at least Arvo:{nameof(options.RetryBaseDelay)} ({options.RetryBaseDelay}); it is {options.RetryMaxDelay}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check<T>(List<string> failures, string setting, T value, T minimum, T maximum)
        where T : IComparable<T>
    {
        if (value.CompareTo(minimum) < 0 || value.CompareTo(maximum) > 0)
        {
            failures.Add($"Arvo:{setting} must be between {minimum} and {maximum}; it is {value}.");
        }
    }
}
