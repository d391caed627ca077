// Distributed counter workflows: worker processes (orchestrator + services) with their workflows in PostgreSQL and
// their events on RabbitMQ, and a driver that starts N workflows, kills a worker with SIGKILL halfway, starts it again
// and prints one line (see README.md):
//   dotnet run --project samples/Distributed [-- --workflows N --workers N --kill|--no-kill]
//   dotnet run -c Release --project samples/Distributed -- --bench        (throughput with 1 and 2 workers, raw RabbitMQ)
// The same executable is the worker: `Distributed worker --run ID --name NAME` (the driver starts those itself).
// Exit codes: 0 every workflow completed exactly once; 1 something was lost, duplicated or re-applied, or the run
// timed out; 2 bad arguments; 3 PostgreSQL or RabbitMQ unreachable, or a worker failed.
using Arvo.Samples.Distributed;
using Arvo.Samples.Distributed.Bench;
using Arvo.Samples.Distributed.Driver;
using Arvo.Samples.Distributed.Worker;

if (args.Length > 0 && args[0] == DistributedWorker.Verb)
{
    return await DistributedWorker.RunAsync(args[1..]);
}

DistributedOptions options;
try
{
    options = DistributedOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message.Replace(" (Parameter 'args')", "", StringComparison.Ordinal));
    Console.Error.WriteLine(DistributedOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C: stop, kill the workers and drop the run's tables and queues.
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    if (options.Clean is { } kept)
    {
        await DistributedDriver.CleanAsync(options, new DistributedRun(kept), cancel.Token);
        Console.Error.WriteLine($"dropped the tables dist_{kept}_* and the RabbitMQ queues and exchanges dist-{kept}.*");
        return 0;
    }

    if (options.Bench)
    {
        return await DistributedBenchmark.RunAsync(options, cancel.Token);
    }

    var report = await DistributedDriver.RunAsync(options, options.Workers, options.Kill, cancellationToken: cancel.Token);
    Console.WriteLine(report.ToLine());
    return report.Passed ? 0 : 1;
}
catch (DistributedInfrastructureException error)
{
    Console.Error.WriteLine(error.Message);
    return 3;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled; the workers were killed and the run's tables and queues dropped");
    return 130;
}
