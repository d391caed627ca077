using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Arvo.Machines;

/// <summary>
/// Writes a machine declaration as JSON (<see cref="ArvoMachine.Definition"/>, stored as a record's
/// <c>machineDefinition</c>): the counterpart of the reference storing its XState config, functions omitted. Keys are
/// written in a fixed order and states, events and transitions in declaration order, so one declaration always gives the
/// same text. Written once per machine, when it is built.
/// </summary>
/// <remarks>
/// Shape: <c>{"id", "version", "initial", "states": {name: node}}</c>; a node is
/// <c>{"type"?: "final" | "parallel", "entry"?, "exit"?, "on"?: {event: [transition]}, "always"?: [transition],
/// "onDone"?: [transition], "initial"?, "states"?: {name: node}}</c> (a compound state or a region names its initial
/// child; a parallel state's children are its regions); a transition is
/// <c>{"target"?, "reenter"?, "guard"?, "actions"?}</c> (no target: internal); an action is <c>{"type": name}</c> for a named action,
/// else <c>{"type": "assign" | "emit" | "enqueueArvoEvent" | "run", "event"?: statically given type}</c>.
/// </remarks>
internal static class MachineDefinitionJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON definition of a declaration that compiled.</summary>
    public static string Write<TContext>(string id, string version, ArvoMachineBuilder<TContext> builder)
        where TContext : notnull
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("version", version);
            writer.WriteString("initial", builder.InitialState);
            WriteStates(writer, builder.States);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteStates<TContext>(Utf8JsonWriter writer, List<StateSpec<TContext>> states)
        where TContext : notnull
    {
        writer.WriteStartObject("states");
        foreach (var state in states)
        {
            writer.WritePropertyName(state.Name);
            WriteState(writer, state);
        }

        writer.WriteEndObject();
    }

    private static void WriteState<TContext>(Utf8JsonWriter writer, StateSpec<TContext> state)
        where TContext : notnull
    {
        writer.WriteStartObject();
        switch (state.Kind)
        {
            case MachineStateKind.Final:
                writer.WriteString("type", "final");
                break;
            case MachineStateKind.Parallel:
                writer.WriteString("type", "parallel");
                break;
        }

        WriteActions(writer, "entry", state.Entry);
        WriteActions(writer, "exit", state.Exit);

        // Event transitions grouped by type in the order each type first appears; alternatives keep their order.
        var events = new List<string>();
        foreach (var transition in state.Transitions)
        {
            if (transition.Kind == MachineTransitionKind.Event && !events.Contains(transition.EventType!))
            {
                events.Add(transition.EventType!);
            }
        }

        if (events.Count > 0)
        {
            writer.WriteStartObject("on");
            foreach (var type in events)
            {
                writer.WriteStartArray(type);
                foreach (var transition in state.Transitions)
                {
                    if (transition.Kind == MachineTransitionKind.Event && transition.EventType == type)
                    {
                        WriteTransition(writer, transition);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        WriteTransitions(writer, "always", state, MachineTransitionKind.Always);
        WriteTransitions(writer, "onDone", state, MachineTransitionKind.Done);
        if (state.Children.Count > 0)
        {
            // Compound states and regions name their initial child; a parallel state's children are its regions.
            if (state.Kind != MachineStateKind.Parallel && state.Initial is not null)
            {
                writer.WriteString("initial", state.Initial);
            }

            WriteStates(writer, state.Children);
        }

        writer.WriteEndObject();
    }

    private static void WriteTransitions<TContext>(Utf8JsonWriter writer, string name, StateSpec<TContext> state, MachineTransitionKind kind)
        where TContext : notnull
    {
        var started = false;
        foreach (var transition in state.Transitions)
        {
            if (transition.Kind != kind)
            {
                continue;
            }

            if (!started)
            {
                writer.WriteStartArray(name);
                started = true;
            }

            WriteTransition(writer, transition);
        }

        if (started)
        {
            writer.WriteEndArray();
        }
    }

    private static void WriteTransition<TContext>(Utf8JsonWriter writer, TransitionSpec<TContext> transition)
        where TContext : notnull
    {
        writer.WriteStartObject();
        if (transition.Target is not null)
        {
            writer.WriteString("target", transition.Target);
        }

        if (transition.Reenter)
        {
            writer.WriteBoolean("reenter", true);
        }

        if (transition.GuardName is not null)
        {
            writer.WriteString("guard", transition.GuardName);
        }

        WriteActions(writer, "actions", transition.Actions);
        writer.WriteEndObject();
    }

    private static void WriteActions<TContext>(Utf8JsonWriter writer, string name, List<MachineAction<TContext>> actions)
        where TContext : notnull
    {
        if (actions.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var action in actions)
        {
            writer.WriteStartObject();
            writer.WriteString("type", action.Kind switch
            {
                MachineActionKind.Named => action.Name,
                MachineActionKind.Assign => "assign",
                MachineActionKind.Emit => "emit",
                MachineActionKind.Enqueue => ArvoMachineSetup<TContext>.ReservedActionName,
                _ => "run",
            });
            if (action.StaticType is not null)
            {
                writer.WriteString("event", action.StaticType);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
