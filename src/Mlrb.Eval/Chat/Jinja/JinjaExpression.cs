namespace Mlrb.Eval.Chat.Jinja;

/// <summary>A parsed Jinja expression, evaluated against a scope.</summary>
internal abstract class JinjaExpression
{
    public abstract object? Evaluate(JinjaScope scope);
}

internal sealed class LiteralExpression(object? value) : JinjaExpression
{
    public object? Value { get; } = value;

    public override object? Evaluate(JinjaScope scope) => Value;
}

internal sealed class NameExpression(string name) : JinjaExpression
{
    public string Name { get; } = name;

    public override object? Evaluate(JinjaScope scope) => scope.Lookup(Name);
}

internal sealed class ListExpression(List<JinjaExpression> items) : JinjaExpression
{
    public List<JinjaExpression> Items { get; } = items;

    public override object? Evaluate(JinjaScope scope) => Items.Select(i => i.Evaluate(scope)).ToList();
}

internal sealed class DictExpression(List<(JinjaExpression Key, JinjaExpression Value)> pairs) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            d[JinjaValues.Str(k.Evaluate(scope))] = v.Evaluate(scope);
        }

        return d;
    }
}

internal sealed class AttributeExpression(JinjaExpression target, string name) : JinjaExpression
{
    public JinjaExpression Target { get; } = target;

    public string Name { get; } = name;

    public override object? Evaluate(JinjaScope scope) => JinjaMembers.Attribute(Target.Evaluate(scope), Name);
}

internal sealed class ItemExpression(JinjaExpression target, JinjaExpression index) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope) => JinjaMembers.Item(target.Evaluate(scope), index.Evaluate(scope));
}

internal sealed class SliceExpression(JinjaExpression target, JinjaExpression? start, JinjaExpression? stop, JinjaExpression? step) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope)
    {
        var value = target.Evaluate(scope);
        long? Get(JinjaExpression? e) => e?.Evaluate(scope) is { } v and not JinjaUndefined ? (long)JinjaValues.ToDouble(v) : null;
        var (a, b, c) = (Get(start), Get(stop), Get(step) ?? 1);
        return value switch
        {
            string s => new string([.. JinjaMembers.SliceIndices(s.Length, a, b, c).Select(i => s[i])]),
            List<object?> l => JinjaMembers.SliceIndices(l.Count, a, b, c).Select(i => l[i]).ToList(),
            _ => throw new ChatTemplateException($"{JinjaValues.TypeName(value)} cannot be sliced."),
        };
    }
}

internal sealed class CallExpression(JinjaExpression callee, List<JinjaExpression> args, List<(string Name, JinjaExpression Value)> kwargs) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope)
    {
        var f = callee.Evaluate(scope);
        if (f is not JinjaCallable callable)
        {
            throw new ChatTemplateException($"{Describe(callee)} is not callable ({JinjaValues.TypeName(f)}).");
        }

        var kw = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in kwargs)
        {
            kw[name] = value.Evaluate(scope);
        }

        return callable.Invoke([.. args.Select(a => a.Evaluate(scope))], kw);
    }

    private static string Describe(JinjaExpression e) => e switch
    {
        NameExpression n => n.Name,
        AttributeExpression a => Describe(a.Target) + "." + a.Name,
        _ => "the expression",
    };
}

internal sealed class FilterExpression(JinjaExpression target, string name, List<JinjaExpression> args, List<(string Name, JinjaExpression Value)> kwargs) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope)
    {
        var kw = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (n, v) in kwargs)
        {
            kw[n] = v.Evaluate(scope);
        }

        return JinjaFilters.Apply(name, target.Evaluate(scope), [.. args.Select(a => a.Evaluate(scope))], kw, scope);
    }
}

internal sealed class TestExpression(JinjaExpression target, string name, List<JinjaExpression> args, bool negated) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope)
        => JinjaFilters.Test(name, target.Evaluate(scope), [.. args.Select(a => a.Evaluate(scope))]) != negated;
}

internal sealed class NotExpression(JinjaExpression operand) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope) => !JinjaValues.Truthy(operand.Evaluate(scope));
}

internal sealed class NegateExpression(JinjaExpression operand) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope) => operand.Evaluate(scope) switch
    {
        long l => (object)(-l),
        double d => -d,
        var v => throw new ChatTemplateException($"bad operand for unary -: {JinjaValues.TypeName(v)}."),
    };
}

internal sealed class ConditionalExpression(JinjaExpression condition, JinjaExpression then, JinjaExpression? otherwise) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope)
        => JinjaValues.Truthy(condition.Evaluate(scope)) ? then.Evaluate(scope) : otherwise is null ? JinjaUndefined.Instance : otherwise.Evaluate(scope);
}

internal sealed class BinaryExpression(string op, JinjaExpression left, JinjaExpression right) : JinjaExpression
{
    public override object? Evaluate(JinjaScope scope)
    {
        switch (op)
        {
            case "and":
                var a = left.Evaluate(scope);
                return JinjaValues.Truthy(a) ? right.Evaluate(scope) : a;
            case "or":
                var o = left.Evaluate(scope);
                return JinjaValues.Truthy(o) ? o : right.Evaluate(scope);
        }

        var l = left.Evaluate(scope);
        var r = right.Evaluate(scope);
        return op switch
        {
            "==" => JinjaValues.Equals(l, r),
            "!=" => !JinjaValues.Equals(l, r),
            "<" => JinjaValues.Compare(l, r) < 0,
            "<=" => JinjaValues.Compare(l, r) <= 0,
            ">" => JinjaValues.Compare(l, r) > 0,
            ">=" => JinjaValues.Compare(l, r) >= 0,
            "in" => Contains(r, l),
            "notin" => !Contains(r, l),
            "~" => JinjaValues.Str(l) + JinjaValues.Str(r),
            "+" => Add(l, r),
            _ => Arithmetic(op, l, r),
        };
    }

    private static bool Contains(object? container, object? item) => container switch
    {
        string s => item is string sub ? s.Contains(sub, StringComparison.Ordinal) : throw new ChatTemplateException("'in <string>' requires a string on the left."),
        List<object?> l => l.Any(x => JinjaValues.Equals(x, item)),
        Dictionary<string, object?> d => item is string k && d.ContainsKey(k),
        JinjaUndefined => false,
        _ => throw new ChatTemplateException($"argument of type {JinjaValues.TypeName(container)} is not iterable."),
    };

    private static object? Add(object? l, object? r) => (l, r) switch
    {
        (string x, string y) => x + y,
        (List<object?> x, List<object?> y) => x.Concat(y).ToList(),
        (long x, long y) => x + y,
        _ when JinjaValues.IsNumber(l) && JinjaValues.IsNumber(r) => JinjaValues.ToDouble(l) + JinjaValues.ToDouble(r),
        _ => throw new ChatTemplateException($"unsupported operand types for +: {JinjaValues.TypeName(l)} and {JinjaValues.TypeName(r)}."),
    };

    private static object? Arithmetic(string op, object? l, object? r)
    {
        if (op == "*" && l is string s && r is long n)
        {
            return string.Concat(Enumerable.Repeat(s, (int)Math.Max(0, n)));
        }

        if (op == "*" && l is List<object?> list && r is long times)
        {
            return Enumerable.Repeat(list, (int)Math.Max(0, times)).SelectMany(x => x).ToList();
        }

        if (!JinjaValues.IsNumber(l) || !JinjaValues.IsNumber(r))
        {
            throw new ChatTemplateException($"unsupported operand types for {op}: {JinjaValues.TypeName(l)} and {JinjaValues.TypeName(r)}.");
        }

        if (l is long x && r is long y && op != "/")
        {
            return op switch
            {
                "-" => x - y,
                "*" => x * y,
                "//" => y == 0 ? throw new ChatTemplateException("integer division by zero.") : (long)Math.Floor((double)x / y),
                "%" => y == 0 ? throw new ChatTemplateException("modulo by zero.") : ((x % y) + y) % y,
                "**" => (long)Math.Pow(x, y),
                _ => throw new ChatTemplateException($"unknown operator {op}."),
            };
        }

        var (a, b) = (JinjaValues.ToDouble(l), JinjaValues.ToDouble(r));
        return op switch
        {
            "-" => a - b,
            "*" => a * b,
            "/" => b == 0 ? throw new ChatTemplateException("division by zero.") : a / b,
            "//" => Math.Floor(a / b),
            "%" => a - (b * Math.Floor(a / b)),
            "**" => Math.Pow(a, b),
            _ => throw new ChatTemplateException($"unknown operator {op}."),
        };
    }
}
