using System.Text;
using Arvo.Contracts;

namespace Arvo.Machines;

/// <summary>
/// Mermaid and DOT export generated from the compiled definition (Stateless's own graph export cannot show eventless
/// transitions, final states or orthogonal regions, so the Arvo layer draws them itself).
/// </summary>
internal static class MachineGraph
{
    public static string ToMermaid<TContext>(MachineModel<TContext> model)
        where TContext : notnull
    {
        var text = new StringBuilder();
        text.Append("---\ntitle: ").Append(model.Id).Append('@').Append(model.Version).Append("\n---\n");
        text.Append("stateDiagram-v2\n");
        MermaidScope(text, model, model.TopStates, model.Initial, "    ");
        return text.ToString();
    }

    public static string ToDot<TContext>(MachineModel<TContext> model)
        where TContext : notnull
    {
        var text = new StringBuilder();
        text.Append("digraph ").Append(Quote($"{model.Id}@{model.Version}")).Append(" {\n");
        text.Append("    rankdir=LR;\n    node [shape=Mrecord];\n");
        DotScope(text, model, model.TopStates, model.Initial, "__start", "    ");
        foreach (var index in model.TopStates)
        {
            DotTransitions(text, model, model.States[index], "    ");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static void MermaidScope<TContext>(StringBuilder text, MachineModel<TContext> model, int[] states, int initial, string indent)
        where TContext : notnull
    {
        foreach (var index in states)
        {
            var state = model.States[index];
            var id = MermaidId(state.Name);
            if (state.Kind == MachineStateKind.Parallel)
            {
                text.Append(indent).Append("state ").Append(id).Append(" {\n");
                for (var i = 0; i < state.Children.Length; i++)
                {
                    var region = model.States[state.Children[i]];
                    if (i > 0)
                    {
                        text.Append(indent).Append("    --\n");
                    }

                    text.Append(indent).Append("    %% region ").Append(region.Name).Append('\n');
                    MermaidScope(text, model, region.Children, region.Initial, indent + "    ");
                }

                text.Append(indent).Append("}\n");
            }
            else if (state.Kind == MachineStateKind.Compound)
            {
                text.Append(indent).Append("state ").Append(id).Append(" {\n");
                MermaidScope(text, model, state.Children, state.Initial, indent + "    ");
                text.Append(indent).Append("}\n");
            }
            else if (id != state.Name)
            {
                text.Append(indent).Append("state ").Append(Quote(state.Name)).Append(" as ").Append(id).Append('\n');
            }
        }

        text.Append(indent).Append("[*] --> ").Append(MermaidId(model.States[initial].Name)).Append('\n');
        foreach (var index in states)
        {
            var state = model.States[index];
            foreach (var transition in state.Transitions)
            {
                var target = transition.Target < 0 ? state.Name : model.States[transition.Target].Name;
                text.Append(indent).Append(MermaidId(state.Name)).Append(" --> ").Append(MermaidId(target))
                    .Append(" : ").Append(Label(transition)).Append('\n');
            }

            if (state.Kind == MachineStateKind.Final)
            {
                text.Append(indent).Append(MermaidId(state.Name)).Append(" --> [*]\n");
            }
        }
    }

    private static void DotScope<TContext>(StringBuilder text, MachineModel<TContext> model, int[] states, int initial, string start, string indent)
        where TContext : notnull
    {
        text.Append(indent).Append(Quote(start)).Append(" [shape=point, label=\"\"];\n");
        foreach (var index in states)
        {
            var state = model.States[index];
            text.Append(indent).Append(Quote(state.Name)).Append(state.Kind switch
            {
                MachineStateKind.Final => " [shape=doublecircle];\n",
                MachineStateKind.Parallel => " [shape=box3d, label=" + Quote(state.Name + " (parallel)") + "];\n",
                MachineStateKind.Compound => " [shape=box, style=rounded, label=" + Quote(state.Name) + "];\n",
                _ => " [label=" + Quote(state.Name) + "];\n",
            });
        }

        text.Append(indent).Append(Quote(start)).Append(" -> ").Append(Quote(model.States[initial].Name)).Append(";\n");
        foreach (var index in states)
        {
            var state = model.States[index];
            if (state.Kind == MachineStateKind.Compound)
            {
                text.Append(indent).Append("subgraph ").Append(Quote($"cluster_{state.Name}")).Append(" {\n");
                text.Append(indent).Append("    label=").Append(Quote(state.Name)).Append(";\n");
                DotScope(text, model, state.Children, state.Initial, $"__start_{state.Name}", indent + "    ");
                foreach (var member in state.Children)
                {
                    DotTransitions(text, model, model.States[member], indent + "    ");
                }

                text.Append(indent).Append("}\n");
                text.Append(indent).Append(Quote(state.Name)).Append(" -> ").Append(Quote($"__start_{state.Name}"))
                    .Append(" [style=dashed, arrowhead=none];\n");
                continue;
            }

            foreach (var r in state.Children)
            {
                var region = model.States[r];
                text.Append(indent).Append("subgraph ").Append(Quote($"cluster_{state.Name}_{region.Name}")).Append(" {\n");
                text.Append(indent).Append("    label=").Append(Quote($"{state.Name} / {region.Name}")).Append(";\n");
                DotScope(text, model, region.Children, region.Initial, $"__start_{state.Name}_{region.Name}", indent + "    ");
                foreach (var member in region.Children)
                {
                    DotTransitions(text, model, model.States[member], indent + "    ");
                }

                text.Append(indent).Append("}\n");
                text.Append(indent).Append(Quote(state.Name)).Append(" -> ").Append(Quote($"__start_{state.Name}_{region.Name}"))
                    .Append(" [style=dashed, arrowhead=none];\n");
            }
        }
    }

    private static void DotTransitions<TContext>(StringBuilder text, MachineModel<TContext> model, MachineState<TContext> state, string indent)
        where TContext : notnull
    {
        foreach (var transition in state.Transitions)
        {
            var target = transition.Target < 0 ? state.Name : model.States[transition.Target].Name;
            text.Append(indent).Append(Quote(state.Name)).Append(" -> ").Append(Quote(target)).Append(" [label=").Append(Quote(Label(transition)));
            if (transition.Kind != MachineTransitionKind.Event)
            {
                text.Append(", style=dashed");
            }

            text.Append("];\n");
        }
    }

    private static string Label<TContext>(MachineTransition<TContext> transition)
        where TContext : notnull
    {
        var label = transition.Trigger;
        if (transition.GuardName is { } guard)
        {
            label += " [" + guard + "]";
        }

        if (transition.Target < 0)
        {
            label += " (internal)";
        }

        return label;
    }

    private static string MermaidId(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return builder.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
