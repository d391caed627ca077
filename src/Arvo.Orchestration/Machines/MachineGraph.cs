using System.Text;

namespace Arvo.Machines;

/// <summary>
/// Mermaid and DOT export generated from the compiled definition (Stateless's own graph export cannot show eventless
/// transitions, final states or orthogonal regions, so the Arvo layer draws them itself).
/// </summary>
/// <remarks>
/// Compound states are Mermaid composite states and DOT clusters; parallel states keep one section (Mermaid <c>--</c>)
/// or one cluster (DOT) per region. Each transition is drawn inside the innermost compound state or region that
/// contains both its source and its target. A state's id is its name, or its path when another state has the same
/// name.
/// </remarks>
internal static class MachineGraph
{
    public static string ToMermaid<TContext>(MachineModel<TContext> model)
        where TContext : notnull
    {
        var text = new StringBuilder();
        text.Append("---\ntitle: ").Append(model.Id).Append('@').Append(model.Version).Append("\n---\n");
        text.Append("stateDiagram-v2\n");
        MermaidScope(text, model, -1, model.TopStates, model.Initial, "    ");
        return text.ToString();
    }

    public static string ToDot<TContext>(MachineModel<TContext> model)
        where TContext : notnull
    {
        var text = new StringBuilder();
        text.Append("digraph ").Append(Quote($"{model.Id}@{model.Version}")).Append(" {\n");
        text.Append("    rankdir=LR;\n    node [shape=Mrecord];\n");
        DotScope(text, model, -1, model.TopStates, model.Initial, "__start", "    ");
        text.Append("}\n");
        return text.ToString();
    }

    private static void MermaidScope<TContext>(StringBuilder text, MachineModel<TContext> model, int container, int[] states, int initial, string indent)
        where TContext : notnull
    {
        foreach (var index in states)
        {
            var state = model.States[index];
            var id = MermaidId(model, state);
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
                    MermaidScope(text, model, region.Index, region.Children, region.Initial, indent + "    ");
                }

                text.Append(indent).Append("}\n");
            }
            else if (state.Kind == MachineStateKind.Compound)
            {
                if (id != state.Name)
                {
                    text.Append(indent).Append("state ").Append(Quote(state.Name)).Append(" as ").Append(id).Append('\n');
                }

                text.Append(indent).Append("state ").Append(id).Append(" {\n");
                MermaidScope(text, model, index, state.Children, state.Initial, indent + "    ");
                text.Append(indent).Append("}\n");
            }
            else if (id != state.Name)
            {
                text.Append(indent).Append("state ").Append(Quote(state.Name)).Append(" as ").Append(id).Append('\n');
            }
        }

        text.Append(indent).Append("[*] --> ").Append(MermaidId(model, model.States[initial])).Append('\n');
        foreach (var index in states)
        {
            foreach (var (source, transition) in EdgesIn(model, container, index))
            {
                var target = transition.Target < 0 ? source : model.States[transition.Target];
                text.Append(indent).Append(MermaidId(model, source)).Append(" --> ").Append(MermaidId(model, target))
                    .Append(" : ").Append(Label(transition)).Append('\n');
            }

            if (model.States[index].Kind == MachineStateKind.Final)
            {
                text.Append(indent).Append(MermaidId(model, model.States[index])).Append(" --> [*]\n");
            }
        }
    }

    private static void DotScope<TContext>(StringBuilder text, MachineModel<TContext> model, int container, int[] states, int initial, string start, string indent)
        where TContext : notnull
    {
        text.Append(indent).Append(Quote(start)).Append(" [shape=point, label=\"\"];\n");
        foreach (var index in states)
        {
            var state = model.States[index];
            var id = DotId(model, state);
            text.Append(indent).Append(Quote(id)).Append(state.Kind switch
            {
                MachineStateKind.Final when id == state.Name => " [shape=doublecircle];\n",
                MachineStateKind.Final => " [shape=doublecircle, label=" + Quote(state.Name) + "];\n",
                MachineStateKind.Parallel => " [shape=box3d, label=" + Quote(state.Name + " (parallel)") + "];\n",
                MachineStateKind.Compound => " [shape=box, style=rounded, label=" + Quote(state.Name) + "];\n",
                _ => " [label=" + Quote(state.Name) + "];\n",
            });
        }

        text.Append(indent).Append(Quote(start)).Append(" -> ").Append(Quote(DotId(model, model.States[initial]))).Append(";\n");
        foreach (var index in states)
        {
            var state = model.States[index];
            var id = DotId(model, state);
            if (state.Kind == MachineStateKind.Compound)
            {
                DotCluster(text, model, state, $"cluster_{id}", state.Name, $"__start_{id}", indent);
                text.Append(indent).Append(Quote(id)).Append(" -> ").Append(Quote($"__start_{id}")).Append(" [style=dashed, arrowhead=none];\n");
            }
            else if (state.Kind == MachineStateKind.Parallel)
            {
                foreach (var r in state.Children)
                {
                    var region = model.States[r];
                    var regionStart = $"__start_{id}_{region.Name}";
                    DotCluster(text, model, region, $"cluster_{id}_{region.Name}", $"{state.Name} / {region.Name}", regionStart, indent);
                    text.Append(indent).Append(Quote(id)).Append(" -> ").Append(Quote(regionStart)).Append(" [style=dashed, arrowhead=none];\n");
                }
            }
        }

        foreach (var index in states)
        {
            foreach (var (source, transition) in EdgesIn(model, container, index))
            {
                var target = transition.Target < 0 ? source : model.States[transition.Target];
                text.Append(indent).Append(Quote(DotId(model, source))).Append(" -> ").Append(Quote(DotId(model, target)))
                    .Append(" [label=").Append(Quote(Label(transition)));
                if (transition.Kind != MachineTransitionKind.Event)
                {
                    text.Append(", style=dashed");
                }

                text.Append("];\n");
            }
        }
    }

    private static void DotCluster<TContext>(StringBuilder text, MachineModel<TContext> model, MachineState<TContext> compound, string name, string label, string start, string indent)
        where TContext : notnull
    {
        text.Append(indent).Append("subgraph ").Append(Quote(name)).Append(" {\n");
        text.Append(indent).Append("    label=").Append(Quote(label)).Append(";\n");
        DotScope(text, model, compound.Index, compound.Children, compound.Initial, start, indent + "    ");
        text.Append(indent).Append("}\n");
    }

    /// <summary>The transitions declared in the subtree of <paramref name="top"/> (document order) that are drawn in <paramref name="container"/>.</summary>
    private static IEnumerable<(MachineState<TContext> Source, MachineTransition<TContext> Transition)> EdgesIn<TContext>(MachineModel<TContext> model, int container, int top)
        where TContext : notnull
    {
        for (var index = top; index < model.States.Length && (index == top || model.IsDescendant(index, top)); index++)
        {
            var state = model.States[index];
            foreach (var transition in state.Transitions)
            {
                if (Container(model, state.Index, transition.Target < 0 ? state.Index : transition.Target) == container)
                {
                    yield return (state, transition);
                }
            }
        }
    }

    /// <summary>The innermost compound state or region (-1: the root) containing both states; parallel states have no room of their own.</summary>
    private static int Container<TContext>(MachineModel<TContext> model, int source, int target)
        where TContext : notnull
    {
        var container = Enclosing(model, source);
        while (container >= 0 && target != container && !model.IsDescendant(target, container))
        {
            container = Enclosing(model, container);
        }

        return container;
    }

    private static int Enclosing<TContext>(MachineModel<TContext> model, int state)
        where TContext : notnull
    {
        var parent = model.States[state].Parent;
        while (parent >= 0 && model.States[parent].Kind == MachineStateKind.Parallel)
        {
            parent = model.States[parent].Parent;
        }

        return parent;
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
        else if (transition.Reenter)
        {
            label += " (reenter)";
        }

        return label;
    }

    /// <summary>The state's name, or its path when another state has the same name.</summary>
    private static string DotId<TContext>(MachineModel<TContext> model, MachineState<TContext> state)
        where TContext : notnull
    {
        foreach (var other in model.States)
        {
            if (other.Index != state.Index && other.Name == state.Name)
            {
                return state.Path;
            }
        }

        return state.Name;
    }

    private static string MermaidId<TContext>(MachineModel<TContext> model, MachineState<TContext> state)
        where TContext : notnull
    {
        var name = DotId(model, state);
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return builder.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
