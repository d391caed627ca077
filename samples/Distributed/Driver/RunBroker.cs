using Arvo.Samples.Counter;
using Arvo.Transport.RabbitMQ;
using RabbitMQ.Client;

namespace Arvo.Samples.Distributed.Driver;

/// <summary>
/// What the driver asks RabbitMQ directly (RabbitMQ.Client, no Arvo types): whether the broker answers, how many dead
/// letters a run left, and the deletion of the run's exchanges and queues (the <see cref="RabbitMqTopology"/> of its
/// prefix: for every destination the run's events were addressed to, its partition queues and its membership queue).
/// </summary>
public static class RunBroker
{
    /// <summary>Every <c>to</c> a run's events carry: the orchestrator, the services, the notification, the driver.</summary>
    public static IReadOnlyList<string> Destinations { get; } =
    [
        CounterContracts.OrchestratorType,
        CounterContracts.IncrementType,
        CounterContracts.DecrementType,
        CounterContracts.NotificationType,
        DistributedRun.Initiator,
    ];

    /// <summary>Connects once to check that the broker answers.</summary>
    /// <param name="uri">The broker.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>A task.</returns>
    /// <exception cref="DistributedInfrastructureException">The broker cannot be reached; the message says how to start it.</exception>
    public static async Task CheckReachableAsync(Uri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        try
        {
            await using var connection = await new ConnectionFactory { Uri = uri }.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException error)
        {
            throw new DistributedInfrastructureException(
                $"RabbitMQ is not reachable at {uri.Host}:{uri.Port} (user '{uri.UserInfo.Split(':')[0]}'): {error.InnerException?.Message ?? error.Message} " +
                $"Start it (`. .ci/services.sh` as root starts PostgreSQL and RabbitMQ) or set {DistributedOptions.RabbitMqVariable}.",
                error);
        }
    }

    /// <summary>Counts the run's dead letters (events the hosts could never process), without consuming them.</summary>
    /// <param name="uri">The broker.</param>
    /// <param name="run">The run.</param>
    /// <param name="partitions">The run's partition count.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The number of messages in <c>{prefix}.dead-letters</c> (0 when it was never declared).</returns>
    public static async Task<uint> CountDeadLettersAsync(Uri uri, DistributedRun run, int partitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var topology = new RabbitMqTopology(run.RabbitMqPrefix, partitions);
        await using var connection = await new ConnectionFactory { Uri = uri }.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(topology.DeadLetterQueue, cancellationToken).ConfigureAwait(false)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // not declared: nothing was ever dead-lettered or published
        }
    }

    /// <summary>Deletes the run's queues and exchanges (whatever they hold).</summary>
    /// <param name="uri">The broker.</param>
    /// <param name="run">The run.</param>
    /// <param name="partitions">The run's partition count.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task.</returns>
    public static async Task DeleteAsync(Uri uri, DistributedRun run, int partitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var topology = new RabbitMqTopology(run.RabbitMqPrefix, partitions);
        await using var connection = await new ConnectionFactory { Uri = uri }.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var destination in Destinations)
        {
            for (var partition = 0; partition < partitions; partition++)
            {
                await channel.QueueDeleteAsync(topology.PartitionQueue(destination, partition), cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await channel.QueueDeleteAsync(topology.MembersQueue(destination), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await channel.QueueDeleteAsync(topology.DeadLetterQueue, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeleteAsync(topology.EventsExchange, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeleteAsync(topology.DeadLetterExchange, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
