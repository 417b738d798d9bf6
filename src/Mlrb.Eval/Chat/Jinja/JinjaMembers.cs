using System.Globalization;

namespace Mlrb.Eval.Chat.Jinja;

/// <summary>Attribute and item access, with the Python methods templates call on strings, dicts and lists.</summary>
internal static class JinjaMembers
{
    /// <summary><c>x.name</c>: a method or attribute first, then the item (Jinja's getattr).</summary>
    public static object? Attribute(object? target, string name)
    {
        if (Method(target, name) is { } method)
        {
            return method;
        }

        return target switch
        {
            Dictionary<string, object?> d => d.TryGetValue(name, out var v) ? v : JinjaUndefined.Instance,
            JinjaNamespace ns => ns.Values.TryGetValue(name, out var v) ? v : JinjaUndefined.Instance,
            _ => JinjaUndefined.Instance,
        };
    }

    /// <summary><c>x[key]</c>: the item first, then an attribute (Jinja's getitem).</summary>
    public static object? Item(object? target, object? key)
    {
        switch (target)
        {
            case Dictionary<string, object?> d when key is string k:
                return d.TryGetValue(k, out var v) ? v : Attribute(target, k);
            case Dictionary<string, object?> d when key is not null and not JinjaUndefined:
                return d.TryGetValue(JinjaValues.Str(key), out var v2) ? v2 : JinjaUndefined.Instance;
            case List<object?> l when key is long or bool:
                var i = (long)JinjaValues.ToDouble(key);
                if (i < 0)
                {
                    i += l.Count;
                }

                return i >= 0 && i < l.Count ? l[(int)i] : JinjaUndefined.Instance;
            case string s when key is long:
                var j = (long)key;
                if (j < 0)
                {
                    j += s.Length;
                }

                return j >= 0 && j < s.Length ? s[(int)j].ToString() : JinjaUndefined.Instance;
            case JinjaNamespace ns when key is string name:
                return ns.Values.TryGetValue(name, out var v3) ? v3 : JinjaUndefined.Instance;
            default:
                return key is string attr ? Attribute(target, attr) : JinjaUndefined.Instance;
        }
    }

    public static IEnumerable<int> SliceIndices(int length, long? start, long? stop, long step)
    {
        if (step == 0)
        {
            throw new ChatTemplateException("slice step cannot be zero.");
        }

        long Norm(long? v, long fallback, long low, long high)
        {
            if (v is null)
            {
                return fallback;
            }

            var x = v.Value < 0 ? v.Value + length : v.Value;
            return Math.Clamp(x, low, high);
        }

        if (step > 0)
        {
            for (var i = Norm(start, 0, 0, length); i < Norm(stop, length, 0, length); i += step)
            {
                yield return (int)i;
            }
        }
        else
        {
            for (var i = Norm(start, length - 1, -1, length - 1); i > Norm(stop, -1, -1, length - 1); i += step)
            {
                yield return (int)i;
            }
        }
    }

    private static JinjaCallable? Method(object? target, string name)
    {
        JinjaCallable M(Func<List<object?>, Dictionary<string, object?>, object?> f) => new(name, f);
        string Arg(List<object?> a, int i, string fallback) => a.Count > i && a[i] is string s ? s : fallback;
        switch (target)
        {
            case string s:
                return name switch
                {
                    "strip" => M((a, _) => a.Count > 0 && a[0] is string chars ? s.Trim(chars.ToCharArray()) : s.Trim()),
                    "lstrip" => M((a, _) => a.Count > 0 && a[0] is string chars ? s.TrimStart(chars.ToCharArray()) : s.TrimStart()),
                    "rstrip" => M((a, _) => a.Count > 0 && a[0] is string chars ? s.TrimEnd(chars.ToCharArray()) : s.TrimEnd()),
                    "startswith" => M((a, _) => a.Count > 0 && a[0] is List<object?> any ? any.Any(p => s.StartsWith(JinjaValues.Str(p), StringComparison.Ordinal)) : s.StartsWith(Arg(a, 0, string.Empty), StringComparison.Ordinal)),
                    "endswith" => M((a, _) => a.Count > 0 && a[0] is List<object?> any ? any.Any(p => s.EndsWith(JinjaValues.Str(p), StringComparison.Ordinal)) : s.EndsWith(Arg(a, 0, string.Empty), StringComparison.Ordinal)),
                    "upper" => M((_, _) => s.ToUpperInvariant()),
                    "lower" => M((_, _) => s.ToLowerInvariant()),
                    "title" => M((_, _) => JinjaFilters.Title(s)),
                    "capitalize" => M((_, _) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant()),
                    "replace" => M((a, _) => s.Replace(Arg(a, 0, string.Empty), Arg(a, 1, string.Empty), StringComparison.Ordinal)),
                    "split" => M((a, _) => Split(s, a.Count > 0 && a[0] is string sep ? sep : null, a.Count > 1 ? (long)JinjaValues.ToDouble(a[1]) : -1)),
                    "find" => M((a, _) => (long)s.IndexOf(Arg(a, 0, string.Empty), StringComparison.Ordinal)),
                    "count" => M((a, _) => (long)CountOf(s, Arg(a, 0, string.Empty))),
                    "join" => M((a, _) => string.Join(s, Iterate(a.Count > 0 ? a[0] : null).Select(JinjaValues.Str))),
                    "isdigit" => M((_, _) => s.Length > 0 && s.All(char.IsDigit)),
                    "isspace" => M((_, _) => s.Length > 0 && s.All(char.IsWhiteSpace)),
                    _ => null,
                };
            case Dictionary<string, object?> d:
                return name switch
                {
                    "items" => M((_, _) => d.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList()),
                    "keys" => M((_, _) => d.Keys.Select(k => (object?)k).ToList()),
                    "values" => M((_, _) => d.Values.ToList()),
                    "get" => M((a, _) => a.Count > 0 && a[0] is string k && d.TryGetValue(k, out var v) ? v : a.Count > 1 ? a[1] : null),
                    _ => null,
                };
            case List<object?> l:
                return name switch
                {
                    "index" => M((a, _) => (long)l.FindIndex(x => JinjaValues.Equals(x, a.Count > 0 ? a[0] : null))),
                    "count" => M((a, _) => (long)l.Count(x => JinjaValues.Equals(x, a.Count > 0 ? a[0] : null))),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>Iterates a list, a dict's keys or a string's characters; undefined and none iterate as empty.</summary>
    public static IEnumerable<object?> Iterate(object? value) => value switch
    {
        List<object?> l => l,
        Dictionary<string, object?> d => d.Keys,
        string s => s.Select(c => (object?)c.ToString()),
        null or JinjaUndefined => [],
        _ => throw new ChatTemplateException($"{JinjaValues.TypeName(value)} is not iterable."),
    };

    private static List<object?> Split(string s, string? separator, long max)
    {
        if (separator is null)
        {
            var parts = s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return [.. parts.Select(p => (object?)p)];
        }

        var result = max < 0 ? s.Split(separator) : s.Split(separator, (int)max + 1);
        return [.. result.Select(p => (object?)p)];
    }

    private static int CountOf(string s, string sub)
    {
        if (sub.Length == 0)
        {
            return s.Length + 1;
        }

        var n = 0;
        for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    internal static string Format(IFormattable f) => f.ToString(null, CultureInfo.InvariantCulture);
}
