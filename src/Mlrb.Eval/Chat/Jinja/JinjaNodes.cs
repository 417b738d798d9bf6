using System.Text;

namespace Mlrb.Eval.Chat.Jinja;

/// <summary>What a statement asks of its loop.</summary>
internal enum JinjaFlow
{
    Normal,
    Break,
    Continue,
}

/// <summary>A parsed template statement.</summary>
internal abstract class JinjaNode
{
    public abstract JinjaFlow Execute(JinjaScope scope, StringBuilder output);

    public static JinjaFlow Run(List<JinjaNode> body, JinjaScope scope, StringBuilder output)
    {
        foreach (var node in body)
        {
            var flow = node.Execute(scope, output);
            if (flow != JinjaFlow.Normal)
            {
                return flow;
            }
        }

        return JinjaFlow.Normal;
    }
}

internal sealed class TextNode(string text) : JinjaNode
{
    public override JinjaFlow Execute(JinjaScope scope, StringBuilder output)
    {
        output.Append(text);
        return JinjaFlow.Normal;
    }
}

internal sealed class OutputNode(JinjaExpression expression) : JinjaNode
{
    public override JinjaFlow Execute(JinjaScope scope, StringBuilder output)
    {
        output.Append(JinjaValues.Str(expression.Evaluate(scope)));
        return JinjaFlow.Normal;
    }
}

internal sealed class IfNode(List<(JinjaExpression Condition, List<JinjaNode> Body)> branches, List<JinjaNode> otherwise) : JinjaNode
{
    public override JinjaFlow Execute(JinjaScope scope, StringBuilder output)
    {
        foreach (var (condition, body) in branches)
        {
            if (JinjaValues.Truthy(condition.Evaluate(scope)))
            {
                return Run(body, scope, output);
            }
        }

        return Run(otherwise, scope, output);
    }
}

internal sealed class ForNode(List<string> targets, JinjaExpression iterable, JinjaExpression? filter, List<JinjaNode> body, List<JinjaNode> otherwise) : JinjaNode
{
    public override JinjaFlow Execute(JinjaScope scope, StringBuilder output)
    {
        var source = iterable.Evaluate(scope);
        var items = new List<object?>();
        foreach (var item in JinjaMembers.Iterate(source))
        {
            if (filter is not null)
            {
                var probe = new JinjaScope(scope);
                Bind(probe, item);
                if (!JinjaValues.Truthy(filter.Evaluate(probe)))
                {
                    continue;
                }
            }

            items.Add(item);
        }

        if (items.Count == 0)
        {
            return Run(otherwise, scope, output);
        }

        for (var i = 0; i < items.Count; i++)
        {
            var frame = new JinjaScope(scope);
            Bind(frame, items[i]);
            var index = i;
            frame.Set("loop", new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["index"] = (long)(i + 1),
                ["index0"] = (long)i,
                ["revindex"] = (long)(items.Count - i),
                ["revindex0"] = (long)(items.Count - i - 1),
                ["first"] = i == 0,
                ["last"] = i == items.Count - 1,
                ["length"] = (long)items.Count,
                ["previtem"] = i > 0 ? items[i - 1] : JinjaUndefined.Instance,
                ["nextitem"] = i + 1 < items.Count ? items[i + 1] : JinjaUndefined.Instance,
                ["cycle"] = new JinjaCallable("cycle", (a, _) => a.Count == 0 ? JinjaUndefined.Instance : a[index % a.Count]),
            });
            if (Run(body, frame, output) == JinjaFlow.Break)
            {
                break;
            }
        }

        return JinjaFlow.Normal;
    }

    private void Bind(JinjaScope frame, object? item)
    {
        if (targets.Count == 1)
        {
            frame.Set(targets[0], item);
            return;
        }

        var parts = JinjaMembers.Iterate(item).ToList();
        if (parts.Count != targets.Count)
        {
            throw new ChatTemplateException($"cannot unpack {parts.Count} values into {targets.Count} loop variables.");
        }

        for (var k = 0; k < targets.Count; k++)
        {
            frame.Set(targets[k], parts[k]);
        }
    }
}

internal sealed class SetNode(List<string> targets, string? attribute, JinjaExpression value) : JinjaNode
{
    public override JinjaFlow Execute(JinjaScope scope, StringBuilder output)
    {
        var v = value.Evaluate(scope);
        if (attribute is not null)
        {
            if (scope.Lookup(targets[0]) is not JinjaNamespace ns)
            {
                throw new ChatTemplateException($"cannot assign attribute '{attribute}' on '{targets[0]}': only namespace() objects take assignments.");
            }

            ns.Values[attribute] = v;
        }
        else if (targets.Count == 1)
        {
            scope.Set(targets[0], v);
        }
        else
        {
            var parts = JinjaMembers.Iterate(v).ToList();
            if (parts.Count != targets.Count)
            {
                throw new ChatTemplateException($"cannot unpack {parts.Count} values into {targets.Count} names.");
            }

            for (var k = 0; k < targets.Count; k++)
            {
                scope.Set(targets[k], parts[k]);
            }
        }

        return JinjaFlow.Normal;
    }
}

internal sealed class SetBlockNode(string target, List<JinjaNode> body) : JinjaNode
{
    public override JinjaFlow Execute(JinjaScope scope, StringBuilder output)
    {
        var captured = new StringBuilder();
        Run(body, new JinjaScope(scope), captured);
        scope.Set(target, captured.ToString());
        return JinjaFlow.Normal;
    }
}

internal sealed class MacroNode(string name, List<(string Name, JinjaExpression? Default)> parameters, List<JinjaNode> body) : JinjaNode
{
    public override JinjaFlow Execute(JinjaScope scope, StringBuilder output)
    {
        var definedIn = scope;
        scope.Set(name, new JinjaCallable(name, (args, kwargs) =>
        {
            var frame = new JinjaScope(definedIn);
            for (var i = 0; i < parameters.Count; i++)
            {
                var (p, fallback) = parameters[i];
                frame.Set(p, i < args.Count ? args[i] : kwargs.TryGetValue(p, out var kv) ? kv : fallback?.Evaluate(definedIn) ?? JinjaUndefined.Instance);
            }

            frame.Set("varargs", args.Skip(parameters.Count).ToList());
            frame.Set("kwargs", kwargs.Where(kv => parameters.All(p => p.Name != kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
            var text = new StringBuilder();
            Run(body, frame, text);
            return text.ToString();
        }));
        return JinjaFlow.Normal;
    }
}

internal sealed class FlowNode(JinjaFlow flow) : JinjaNode
{
    public override JinjaFlow Execute(JinjaScope scope, StringBuilder output) => flow;
}

internal sealed class BlockNode(List<JinjaNode> body) : JinjaNode
{
    public override JinjaFlow Execute(JinjaScope scope, StringBuilder output) => Run(body, scope, output);
}
