using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Arvo.Machines;

/// <summary>
/// The execution of a machine: restores (or creates) the context and the active states, delivers the event, settles
/// eventless transitions and completion events, and produces the new snapshot. Reused: its Stateless machines are
/// configured once, and a <see cref="MachineRunPool{TContext}"/> lends it to one execution at a time, after which
/// <see cref="Execute"/> resets it (also when it throws). This
/// file holds the context, the actions, the emitted events and the output; <c>MachineRun.Transitions.cs</c> holds the
/// statechart (active states, transition selection, exits and entries on Stateless).
/// </summary>
internal sealed partial class MachineRun<TContext>
    where TContext : notnull
{
    private readonly MachineModel<TContext> _model;

    /// <summary>The context's serialization metadata, resolved once per run rather than looked up on every (de)serialization.</summary>
    private readonly JsonTypeInfo<TContext> _contextInfo;
    private ArvoEvent _event = null!;
    private TContext _context = default!;
    private bool _done;

    /// <summary>
    /// The output as JSON, written when the top-level final state is entered (before its exit actions run, as in XState
    /// v5) into this run's buffer, and copied into the snapshot by <see cref="Finish"/>; the completion event uses that
    /// element, so the output is never a document of its own.
    /// </summary>
    private ArrayBufferWriter<byte>? _outputJson;
    private Utf8JsonWriter? _outputWriter;
    private List<ArvoMachineEmit>? _emitted;
    private List<ArvoMachineEmit>? _enqueued;

    public MachineRun(MachineModel<TContext> model)
    {
        _model = model;
        _contextInfo = (JsonTypeInfo<TContext>)model.ContextOptions.GetTypeInfo(typeof(TContext));
        _current = new int[model.ScopeCount];
        ResetScopes();
        _keys = new StateKey[model.States.Length + model.ScopeCount];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = new StateKey(i);
        }

        _destination = () => _keys[_moveTo];
        _machines = ConfigureMachines();
    }

    /// <summary>Runs one execution of <paramref name="arvoEvent"/> on <paramref name="snapshot"/>, then resets this run for the next one.</summary>
    public MachineRunResult Execute(ArvoMachineSnapshot? snapshot, ArvoEvent arvoEvent)
    {
        _event = arvoEvent;
        try
        {
            return ExecuteCore(snapshot);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>
    /// Back to the state of a new run: every scope outside, nothing pending, no references to the last execution's
    /// context, event or results. Stateless keeps no state of its own between fires (immediate mode, external
    /// state), so after an action threw mid-transition this is all that needs undoing.
    /// </summary>
    private void Reset()
    {
        ResetScopes();
        _event = null!;
        _context = default!;
        _done = false;
        if (_outputJson is { Capacity: > SnapshotScratch.MaxRetainedBufferBytes })
        {
            // A pooled run does not keep a huge output's buffer alive (the writer references it too).
            _outputJson = null;
            _outputWriter = null;
        }

        _emitted?.Clear();
        _enqueued?.Clear();
        _moveTo = 0;
        _pendingTarget = -1;
        _doneQueue?.Clear();
        _doneHead = 0;
        _completed?.Clear();
        _selected?.Clear();
        _kept?.Clear();
        _byDomain?.Clear();
    }

    private MachineRunResult ExecuteCore(ArvoMachineSnapshot? snapshot)
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

            _context = JsonSerializer.Deserialize(snapshot.Context, _contextInfo) ?? throw new InvalidOperationException(
                $"The snapshot context of machine '{_model.Id}' (version '{_model.Version}') deserialized to null");
            Restore(snapshot);
            Deliver();
        }

        Settle();
        return Finish();
    }

    /// <summary>
    /// The new snapshot, written once (the context serialized straight into it) and parsed into one document that
    /// owns its bytes: the snapshot's context and state value are elements of it, and the orchestrator stores it as
    /// the record's state as it is.
    /// </summary>
    private MachineRunResult Finish()
    {
        var status = _done ? ArvoMachineStatus.Done : ArvoMachineStatus.Active;
        var top = _model.States[_model.TopAncestor(_current[0])];
        var json = SnapshotScratch.WriteAndParse((Run: this, Status: status, Top: top), static (writer, state) =>
        {
            ArvoMachineSnapshot.WriteStart(writer, state.Status);
            if (state.Top.IsAtomic)
            {
                writer.WriteStringValue(state.Top.Name);
            }
            else
            {
                writer.WriteStartObject();
                writer.WritePropertyName(state.Top.Name);
                state.Run.WriteValueBelow(writer, state.Top);
                writer.WriteEndObject();
            }

            writer.WritePropertyName(ArvoMachineSnapshot.ContextProperty);
            JsonSerializer.Serialize(writer, state.Run._context, state.Run._contextInfo);
            ArvoMachineSnapshot.WriteEnd(writer, state.Status == ArvoMachineStatus.Done ? state.Run._outputJson!.WrittenSpan : default);
        });

        var context = json.GetProperty(ArvoMachineSnapshot.ContextProperty);
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

        JsonElement? output = _done ? json.GetProperty(ArvoMachineSnapshot.OutputProperty) : null;

        var nested = top.IsAtomic ? (JsonElement?)null : json.GetProperty(ArvoMachineSnapshot.ValueProperty);
        var snapshot = new ArvoMachineSnapshot(status, top.Name, nested, context, output) { Json = json };
        // Copied out: the lists belong to this run and are cleared for the next execution.
        var emitted = _emitted?.Count ?? 0;
        var enqueued = _enqueued?.Count ?? 0;
        ArvoMachineEmit[] events = emitted + enqueued == 0 ? [] : new ArvoMachineEmit[emitted + enqueued];
        _emitted?.CopyTo(events, 0);
        _enqueued?.CopyTo(events, emitted);
        return new MachineRunResult(snapshot, events, output);
    }

    /// <summary>Writes what <see cref="MachineModel{TContext}.Output"/> returns for the context now (a JSON object) into the output buffer.</summary>
    private void WriteOutput()
    {
        var value = _model.Output?.Invoke(_context);
        var buffer = _outputJson ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = _outputWriter ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        switch (value)
        {
            case null:
                EmptyObject.WriteTo(writer);
                break;
            case JsonElement element:
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw OutputNotAnObject(element.ValueKind);
                }

                element.WriteTo(writer);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), _model.ContextOptions);
                break;
        }

        writer.Flush();
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw OutputNotAnObject(reader.TokenType switch
            {
                JsonTokenType.StartArray => JsonValueKind.Array,
                JsonTokenType.String => JsonValueKind.String,
                JsonTokenType.Number => JsonValueKind.Number,
                JsonTokenType.True => JsonValueKind.True,
                JsonTokenType.False => JsonValueKind.False,
                _ => JsonValueKind.Null,
            });
        }
    }

    private InvalidOperationException OutputNotAnObject(JsonValueKind kind) =>
        new($"The output of machine '{_model.Id}' (version '{_model.Version}') must serialize to a JSON object, received {kind}");

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
