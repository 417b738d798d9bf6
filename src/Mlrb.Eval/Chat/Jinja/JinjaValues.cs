using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Chat.Jinja;

/// <summary>Jinja's undefined value: prints as nothing, is falsy, iterates as empty.</summary>
internal sealed class JinjaUndefined
{
    public static readonly JinjaUndefined Instance = new();

    private JinjaUndefined()
    {
    }

    public override string ToString() => string.Empty;
}

/// <summary>Jinja's <c>namespace()</c>: attributes that assignments inside loops can change.</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);
}

/// <summary>A callable value: a macro, a global function or a bound method.</summary>
internal sealed class JinjaCallable(string name, Func<List<object?>, Dictionary<string, object?>, object?> call)
{
    public string Name { get; } = name;

    public object? Invoke(List<object?> args, Dictionary<string, object?> kwargs) => call(args, kwargs);
}

/// <summary>Python semantics for the values templates use: truthiness, str(), repr(), equality, ordering, JSON.</summary>
internal static class JinjaValues
{
    public static bool Truthy(object? v) => v switch
    {
        null or JinjaUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> l => l.Count > 0,
        Dictionary<string, object?> d => d.Count > 0,
        _ => true,
    };

    public static bool IsNumber(object? v) => v is long or double or bool;

    public static double ToDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new ChatTemplateException($"expected a number, found {TypeName(v)}."),
    };

    public static string TypeName(object? v) => v switch
    {
        null => "none",
        JinjaUndefined => "undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        Dictionary<string, object?> => "dict",
        JinjaNamespace => "namespace",
        JinjaCallable => "function",
        _ => v.GetType().Name,
    };

    /// <summary>Python's <c>str()</c>, as Jinja prints values.</summary>
    public static string Str(object? v) => v switch
    {
        null => "None",
        JinjaUndefined => string.Empty,
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatRepr(d),
        _ => Repr(v),
    };

    /// <summary>Python's <c>repr()</c> (lists and dicts print their items this way).</summary>
    public static string Repr(object? v)
    {
        switch (v)
        {
            case string s:
                var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
                var sb = new StringBuilder().Append(quote);
                foreach (var c in s)
                {
                    sb.Append(c switch
                    {
                        '\\' => "\\\\",
                        '\n' => "\\n",
                        '\r' => "\\r",
                        '\t' => "\\t",
                        _ when c == quote => "\\" + c,
                        _ when c < 0x20 || c == 0x7f => $"\\x{(int)c:x2}",
                        _ => c.ToString(),
                    });
                }

                return sb.Append(quote).ToString();
            case List<object?> l:
                return "[" + string.Join(", ", l.Select(Repr)) + "]";
            case Dictionary<string, object?> d:
                return "{" + string.Join(", ", d.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}";
            case JinjaNamespace ns:
                return "<Namespace " + Repr(ns.Values) + ">";
            case JinjaCallable c:
                return "<function " + c.Name + ">";
            default:
                return Str(v);
        }
    }

    /// <summary>Python's float repr: the shortest round-trip digits, always with a '.0' or exponent.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E', StringComparison.Ordinal))
        {
            // Python writes 1e-05 / 1e+16.
            var parts = r.Split('E');
            var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return parts[0] + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }

        return r.Contains('.', StringComparison.Ordinal) ? r : r + ".0";
    }

    public static new bool Equals(object? a, object? b)
    {
        if (a is JinjaUndefined || b is JinjaUndefined)
        {
            return a is JinjaUndefined && b is JinjaUndefined;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a) == ToDouble(b);
        }

        return (a, b) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => Equals(p.First, p.Second)),
            (Dictionary<string, object?> x, Dictionary<string, object?> y) => x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var o) && Equals(kv.Value, o)),
            _ => ReferenceEquals(a, b),
        };
    }

    public static int Compare(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a).CompareTo(ToDouble(b));
        }

        if (a is string x && b is string y)
        {
            return string.CompareOrdinal(x, y);
        }

        if (a is List<object?> l && b is List<object?> m)
        {
            for (var i = 0; i < Math.Min(l.Count, m.Count); i++)
            {
                var c = Compare(l[i], m[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return l.Count.CompareTo(m.Count);
        }

        throw new ChatTemplateException($"'<' is not supported between {TypeName(a)} and {TypeName(b)}.");
    }

    /// <summary>Python's <c>json.dumps</c> (Hugging Face's <c>tojson</c>: non-ASCII kept, keys in order unless sorted).</summary>
    public static string ToJson(object? v, int? indent, bool sortKeys = false, string? itemSeparator = null, string? keySeparator = null)
    {
        var sb = new StringBuilder();
        itemSeparator ??= indent is null ? ", " : ",";
        keySeparator ??= ": ";
        WriteJson(sb, v, indent, 0, sortKeys, itemSeparator, keySeparator);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, object? v, int? indent, int depth, bool sortKeys, string itemSep, string keySep)
    {
        switch (v)
        {
            case null or JinjaUndefined:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : FloatRepr(d));
                break;
            case string s:
                JsonString(sb, s);
                break;
            case List<object?> list:
                Container(sb, '[', ']', list.Count, indent, depth, itemSep, i => WriteJson(sb, list[i], indent, depth + 1, sortKeys, itemSep, keySep));
                break;
            case Dictionary<string, object?> dict:
                var entries = sortKeys ? dict.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList() : dict.ToList();
                Container(sb, '{', '}', entries.Count, indent, depth, itemSep, i =>
                {
                    JsonString(sb, entries[i].Key);
                    sb.Append(keySep);
                    WriteJson(sb, entries[i].Value, indent, depth + 1, sortKeys, itemSep, keySep);
                });
                break;
            case JinjaNamespace ns:
                WriteJson(sb, ns.Values, indent, depth, sortKeys, itemSep, keySep);
                break;
            default:
                throw new ChatTemplateException($"Object of type {TypeName(v)} is not JSON serializable.");
        }
    }

    private static void Container(StringBuilder sb, char open, char close, int count, int? indent, int depth, string itemSep, Action<int> item)
    {
        sb.Append(open);
        if (count == 0)
        {
            sb.Append(close);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(itemSep);
            }

            if (indent is { } n)
            {
                sb.Append('\n').Append(' ', n * (depth + 1));
            }

            item(i);
        }

        if (indent is { } m)
        {
            sb.Append('\n').Append(' ', m * depth);
        }

        sb.Append(close);
    }

    private static void JsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
