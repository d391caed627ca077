using Arvo.Events;

namespace Arvo.Tests.TestSupport;

/// <summary>Small event builders for broker and test-suite tests.</summary>
internal static class BrokerEvents
{
    public static ArvoEvent Make(string type, string? to = null, string source = "com.test.client", string subject = "test-subject", string? domain = null, object? data = null) =>
        ArvoEvent.Create(new ArvoEventInit
        {
            Source = source,
            Type = type,
            To = to,
            Subject = subject,
            Data = data ?? new { },
            Domain = domain,
        });

    /// <summary>An event whose <c>to</c> is null (allowed with content type application/json).</summary>
    public static ArvoEvent WithoutTo(string type) =>
        ArvoEvent.Create(new ArvoEventInit
        {
            Source = "com.test.client",
            Type = type,
            Subject = "test-subject",
            Data = new { },
            DataContentType = "application/json",
        }).WithTo(null);
}
