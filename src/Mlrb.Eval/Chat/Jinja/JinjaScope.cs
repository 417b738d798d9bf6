namespace Mlrb.Eval.Chat.Jinja;

/// <summary>Variables visible at one point of a template: a chain of frames ending at the render's globals.</summary>
internal sealed class JinjaScope(JinjaScope? parent)
{
    private readonly Dictionary<string, object?> _vars = new(StringComparer.Ordinal);

    public JinjaScope? Parent { get; } = parent;

    public object? Lookup(string name)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            if (s._vars.TryGetValue(name, out var v))
            {
                return v;
            }
        }

        return JinjaUndefined.Instance;
    }

    public void Set(string name, object? value) => _vars[name] = value;

    /// <summary>The outermost frame (macros see it, not their caller's locals).</summary>
    public JinjaScope Root
    {
        get
        {
            var s = this;
            while (s.Parent is not null)
            {
                s = s.Parent;
            }

            return s;
        }
    }
}
