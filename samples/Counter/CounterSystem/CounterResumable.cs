using Arvo.Machines;
using Arvo.Memory;
using Arvo.Resumable;

namespace Arvo.Samples.Counter;

/// <summary>
/// The counter workflow of <see cref="CounterMachine"/> written as an <see cref="ArvoResumable"/>: the same contracts,
/// events and completions, as one function instead of a statechart. On the init it asks the increment or decrement
/// service; on the service's answer it sends the notification and completes with <c>final = newValue</c>; on the
/// service's system error (or an unknown operation) it completes with <c>final = 0</c>.
/// </summary>
public static class CounterResumable
{
    /// <summary>Creates the counter resumable over <paramref name="memory"/>.</summary>
    /// <param name="memory">The workflow memory.</param>
    /// <param name="executionUnits">The <c>executionunits</c> of emitted events.</param>
    /// <param name="requiresResourceLocking">Whether executions lock the workflow (the resumable's default with several services).</param>
    /// <returns>The resumable (source <c>arvo.orc.counter</c>).</returns>
    public static ArvoResumable Create(IMachineMemory<ArvoResumableState> memory, double executionUnits = 1, bool requiresResourceLocking = true)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return ArvoResumable.CreateBuilder<CounterContext>(CounterContracts.Orchestrator)
            .Memory(memory)
            .Service("increment", CounterContracts.Increment.Version(CounterContracts.Version))
            .Service("decrement", CounterContracts.Decrement.Version(CounterContracts.Version))
            .Service("notification", CounterContracts.Notification.Version(CounterContracts.Version))
            .Version(CounterContracts.Version, Step)
            .ExecutionUnits(executionUnits)
            .RequiresResourceLocking(requiresResourceLocking)
            .Build();
    }

    private static ArvoResumableResult<CounterContext>? Step(ArvoResumableContext<CounterContext> ctx)
    {
        if (ctx.Input is not null)
        {
            var context = ctx.GetData<CounterContext>()! with { NewValue = null, Errors = [] };
            return context.Type switch
            {
                "increment" => new() { Context = context, Services = [ArvoMachineEmit.Create(CounterContracts.IncrementType, new { delta = context.Delta })] },
                "decrement" => new() { Context = context, Services = [ArvoMachineEmit.Create(CounterContracts.DecrementType, new { delta = context.Delta })] },
                _ => new()
                {
                    Context = context with { Errors = [new CounterError("Invalid type", $"Invalid operation type => {context.Type}", null)] },
                    Output = new { final = 0 },
                },
            };
        }

        var stored = ctx.Context!;
        switch (ctx.Service!.Type)
        {
            case CounterContracts.IncrementSuccessType or CounterContracts.DecrementSuccessType:
                var newValue = ctx.Service.Data.GetProperty("newValue").GetDouble();
                return new()
                {
                    Context = stored with { NewValue = newValue },
                    Services = [ArvoMachineEmit.Create(CounterContracts.NotificationType, new { delta = stored.Delta, type = stored.Type })],
                    Output = new { final = newValue },
                };
            case CounterContracts.IncrementErrorType or CounterContracts.DecrementErrorType:
                return new()
                {
                    Context = stored with { Errors = [.. stored.Errors, ctx.GetData<CounterError>()!] },
                    Output = new { final = stored.NewValue ?? 0 },
                };
            default:
                return null;
        }
    }

}
