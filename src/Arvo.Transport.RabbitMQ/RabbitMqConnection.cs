using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Arvo.Transport.RabbitMQ;

/// <summary>
/// One AMQP connection, opened on first use and opened again on the next use after it was lost. The client's
/// automatic recovery is off: exclusive consumers must be claimed again through the rebalance (a recovered exclusive
/// consumer could be refused, or take a partition another host claimed meanwhile), so the transport reconnects itself.
/// </summary>
internal sealed class RabbitMqConnection(ConnectionFactory factory, string name, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _current;
    private bool _disposed;

    /// <summary>Called (once per lost connection) when the broker or the network closed the connection.</summary>
    public Action? Lost { get; set; }

    public IConnection? Current => Volatile.Read(ref _current);

    public async ValueTask<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { IsOpen: true } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is { IsOpen: true } current)
            {
                return current;
            }

            if (_current is { } stale)
            {
                _current = null;
                await DisposeQuietlyAsync(stale).ConfigureAwait(false);
            }

            var connection = await factory.CreateConnectionAsync(name, cancellationToken).ConfigureAwait(false);
            connection.ConnectionShutdownAsync += OnShutdownAsync;
            Volatile.Write(ref _current, connection);
            RabbitMqTransportLog.Connected(logger, name, $"{connection.Endpoint.HostName}:{connection.Endpoint.Port}");
            return connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the connection without a clean close, as a crashed process would (tests).</summary>
    public async ValueTask AbortAsync()
    {
        if (Interlocked.Exchange(ref _current, null) is { } connection)
        {
            connection.ConnectionShutdownAsync -= OnShutdownAsync;
            try
            {
                await connection.AbortAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            finally
            {
                await DisposeQuietlyAsync(connection).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (Interlocked.Exchange(ref _current, null) is { } connection)
            {
                connection.ConnectionShutdownAsync -= OnShutdownAsync;
                try
                {
                    if (connection.IsOpen)
                    {
                        await connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                    }
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    // Closing a connection that is going away anyway.
                }
                finally
                {
                    await DisposeQuietlyAsync(connection).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs reason)
    {
        if (reason.Initiator != ShutdownInitiator.Application)
        {
            RabbitMqTransportLog.ConnectionLost(logger, name, $"{reason.ReplyCode} {reason.ReplyText}");
            Lost?.Invoke();
        }

        return Task.CompletedTask;
    }

    private static async ValueTask DisposeQuietlyAsync(IConnection connection)
    {
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A connection that is already broken.
        }
    }
}
