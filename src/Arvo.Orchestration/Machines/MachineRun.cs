using System.Text.Json;

namespace Arvo.Machines;

/// <summary>
/// One execution of a machine: restores (or creates) the context and the active states, delivers the event, settles
/// eventless transitions and completion events, and produces the new snapshot. Single-threaded and short-lived. This
/// file holds the context, the actions, the emitted events and the output; <c>MachineRun.Transitions.cs</c> holds the
/// statechart (active states, transition selection, exits and entries on Stateless).
/// </summary>
internal sealed partial class MachineRun<TContext>
    where TContext : notnull
{
    private readonly MachineModel<TContext> _model;
    private readonly ArvoEvent _event;
    private TContext _context = default!;
    private bool _done;

    /// <summary>The output, computed when the top-level final state is entered (before its exit actions run, as in XState v5).</summary>
    private JsonElement? _output;
    private List<ArvoMachineEmit>? _emitted;
    private List<ArvoMachineEmit>? _enqueued;

    public MachineRun(MachineModel<TContext> model, ArvoEvent arvoEvent)
    {
        _model = model;
        _event = arvoEvent;
        _current = new int[model.ScopeCount];
        for (var scope = 0; scope < _current.Length; scope++)
        {
            _current[scope] = Outside(scope);
        }

        _destination = () => _moveTo;
    }

    public MachineRunResult Execute(ArvoMachineSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            _context = _model.ContextFactory(_event) ?? throw new InvalidOperationException(
                $"The context factory of machine '{_model.Id}' (version '{_model.Version}') returned null");
            Start();
        }
        else
        {
            if (snapshot.Status != ArvoMachineStatus.Active)
            {
                // A done (or failed/stopped) machine ignores every event; completion is never reported again.
                return new MachineRunResult(snapshot, [], null);
            }

            _context = JsonSerializer.Deserialize<TContext>(snapshot.Context, _model.ContextOptions) ?? throw new InvalidOperationException(
                $"The snapshot context of machine '{_model.Id}' (version '{_model.Version}') deserialized to null");
            Restore(snapshot);
            Deliver();
        }

        Settle();
        return Finish();
    }

    private MachineRunResult Finish()
    {
        var context = JsonSerializer.SerializeToElement(_context, _model.ContextOptions);
        if (context.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException(
                $"The context of machine '{_model.Id}' (version '{_model.Version}') must serialize to a JSON object, received {context.ValueKind}");
        }

        if (context.TryGetProperty(ArvoMachineSnapshot.ReservedContextKey, out _))
        {
            throw new InvalidOperationException(
                $"The context of machine '{_model.Id}' (version '{_model.Version}') uses the reserved key '{ArvoMachineSnapshot.ReservedContextKey}'");
        }

        var output = _done ? _output : null;

        var (top, nested) = StateValue();
        var snapshot = new ArvoMachineSnapshot(_done ? ArvoMachineStatus.Done : ArvoMachineStatus.Active, top, nested, context, output);
        IReadOnlyList<ArvoMachineEmit> events = (_emitted, _enqueued) switch
        {
            (null, null) => [],
            (not null, null) => _emitted,
            (null, not null) => _enqueued,
            _ => [.. _emitted, .. _enqueued],
        };
        return new MachineRunResult(snapshot, events, output);
    }

    private JsonElement ComputeOutput()
    {
        if (_model.Output is null)
        {
            return EmptyObject;
        }

        var value = _model.Output(_context);
        var output = value switch
        {
            null => EmptyObject,
            JsonElement element => element,
            _ => JsonSerializer.SerializeToElement(value, value.GetType(), _model.ContextOptions),
        };
        return output.ValueKind == JsonValueKind.Object
            ? output
            : throw new InvalidOperationException(
                $"The output of machine '{_model.Id}' (version '{_model.Version}') must serialize to a JSON object, received {output.ValueKind}");
    }

    private static JsonElement EmptyObject { get; } = JsonSerializer.SerializeToElement(new { });

    private void RunActions(MachineAction<TContext>[] actions)
    {
        foreach (var action in actions)
        {
            switch (action.Kind)
            {
                case MachineActionKind.Assign:
                    _context = action.Assign!(_context, _event) ?? throw new InvalidOperationException(
                        $"An assign action of machine '{_model.Id}' (version '{_model.Version}') returned a null context");
                    break;
                case MachineActionKind.Emit:
                    (_emitted ??= []).Add(CheckEmit(action.Emit!(_context, _event)));
                    break;
                case MachineActionKind.Enqueue:
                    (_enqueued ??= []).Add(CheckEmit(action.Emit!(_context, _event)));
                    break;
                case MachineActionKind.Run:
                    action.Run!(_context, _event);
                    break;
            }
        }
    }

    private ArvoMachineEmit CheckEmit(ArvoMachineEmit emit)
    {
        if (emit is null || string.IsNullOrEmpty(emit.Type))
        {
            throw new InvalidOperationException($"An emit action of machine '{_model.Id}' (version '{_model.Version}') returned no event type");
        }

        if (MachineDelegates.IsAsyncValue(emit.Data))
        {
            throw new ConfigViolation(
                $"Configuration Error: the data of the emitted event '{emit.Type}' in machine '{_model.Id}' (version '{_model.Version}') is a task. Machines must be synchronous: compute the data without async code.");
        }

        // Returned as written: serializing, validating and routing are the orchestration's (EmittedEventBuilder), with
        // its serializer options, once per event.
        return emit;
    }
}
