using Microsoft.Extensions.Logging;

namespace Arvo.Telemetry;

/// <summary>The HTTP endpoints' log messages (source-generated). Rejected events are logged by the dispatcher.</summary>
internal static partial class ArvoHttpLog
{
    [LoggerMessage(101, LogLevel.Error, "HTTP {Method} {Path}: event {EventId} could not be processed ({ErrorType}); answered 500")]
    public static partial void EventFailed(ILogger logger, Exception? exception, string method, string path, string eventId, string errorType);

    [LoggerMessage(102, LogLevel.Error, "HTTP {Method} {Path} failed; answered 500")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);
}
