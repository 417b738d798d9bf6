using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Chat.Jinja;

/// <summary>The filters and tests chat templates use, with Python/Jinja semantics.</summary>
internal static class JinjaFilters
{
    public static object? Apply(string name, object? v, List<object?> a, Dictionary<string, object?> kw, JinjaScope scope)
    {
        object? Arg(int i, string key, object? fallback) => kw.TryGetValue(key, out var x) ? x : a.Count > i ? a[i] : fallback;
        switch (name)
        {
            case "trim":
                return JinjaValues.Str(v).Trim();
            case "tojson":
                var indent = Arg(0, "indent", null);
                return JinjaValues.ToJson(v, indent is null or JinjaUndefined ? null : (int)JinjaValues.ToDouble(indent), JinjaValues.Truthy(Arg(99, "sort_keys", false)));
            case "length" or "count":
                return v switch
                {
                    string s => (long)s.Length,
                    List<object?> l => (long)l.Count,
                    Dictionary<string, object?> d => (long)d.Count,
                    JinjaUndefined => 0L,
                    _ => throw new ChatTemplateException($"object of type {JinjaValues.TypeName(v)} has no len()."),
                };
            case "default" or "d":
                var fallback = Arg(0, "default_value", string.Empty);
                var boolean = JinjaValues.Truthy(Arg(1, "boolean", false));
                return v is JinjaUndefined || (boolean && !JinjaValues.Truthy(v)) ? fallback : v;
            case "items":
                return v is Dictionary<string, object?> dict ? dict.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList() : v is JinjaUndefined ? new List<object?>() : throw new ChatTemplateException("items needs a mapping.");
            case "list":
                return JinjaMembers.Iterate(v).ToList();
            case "string":
                return JinjaValues.Str(v);
            case "int":
                return v switch
                {
                    long l => l,
                    double d => (long)d,
                    bool b => b ? 1L : 0L,
                    string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
                    _ => Arg(0, "default", 0L),
                };
            case "float":
                return v switch
                {
                    long l => (double)l,
                    double d => d,
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
                    _ => Arg(0, "default", 0.0),
                };
            case "upper":
                return JinjaValues.Str(v).ToUpperInvariant();
            case "lower":
                return JinjaValues.Str(v).ToLowerInvariant();
            case "title":
                return Title(JinjaValues.Str(v));
            case "capitalize":
                var c = JinjaValues.Str(v);
                return c.Length == 0 ? c : char.ToUpperInvariant(c[0]) + c[1..].ToLowerInvariant();
            case "replace":
                return JinjaValues.Str(v).Replace(JinjaValues.Str(Arg(0, "old", string.Empty)), JinjaValues.Str(Arg(1, "new", string.Empty)), StringComparison.Ordinal);
            case "join":
                var attribute = Arg(1, "attribute", null);
                var items = JinjaMembers.Iterate(v).Select(x => attribute is string at ? JinjaMembers.Item(x, at) : x);
                return string.Join(JinjaValues.Str(Arg(0, "d", string.Empty)), items.Select(JinjaValues.Str));
            case "first":
                return JinjaMembers.Iterate(v).Cast<object?>().DefaultIfEmpty(JinjaUndefined.Instance).First();
            case "last":
                return v is List<object?> { Count: > 0 } last ? last[^1] : JinjaUndefined.Instance;
            case "reverse":
                return v is string rs ? new string([.. rs.Reverse()]) : JinjaMembers.Iterate(v).Reverse().ToList();
            case "safe":
                return v;
            case "abs":
                return v is long al ? (object)Math.Abs(al) : Math.Abs(JinjaValues.ToDouble(v));
            case "round":
                var digits = (int)JinjaValues.ToDouble(Arg(0, "precision", 0L));
                return Math.Round(JinjaValues.ToDouble(v), digits, MidpointRounding.ToEven);
            case "sum":
                return JinjaMembers.Iterate(v).Aggregate((object?)0L, (acc, x) => acc is long p && x is long q ? (object)(p + q) : JinjaValues.ToDouble(acc) + JinjaValues.ToDouble(x));
            case "min":
                return JinjaMembers.Iterate(v).Aggregate((x, y) => JinjaValues.Compare(x, y) <= 0 ? x : y);
            case "max":
                return JinjaMembers.Iterate(v).Aggregate((x, y) => JinjaValues.Compare(x, y) >= 0 ? x : y);
            case "unique":
                var seen = new List<object?>();
                foreach (var x in JinjaMembers.Iterate(v))
                {
                    if (!seen.Any(y => JinjaValues.Equals(x, y)))
                    {
                        seen.Add(x);
                    }
                }

                return seen;
            case "sort":
                var sortAttribute = Arg(2, "attribute", null);
                var sorted = JinjaMembers.Iterate(v).ToList();
                sorted.Sort((x, y) => JinjaValues.Compare(sortAttribute is string sa ? JinjaMembers.Item(x, sa) : x, sortAttribute is string sb ? JinjaMembers.Item(y, sb) : y));
                if (JinjaValues.Truthy(Arg(0, "reverse", false)))
                {
                    sorted.Reverse();
                }

                return sorted;
            case "dictsort":
                return v is Dictionary<string, object?> ds ? ds.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList() : throw new ChatTemplateException("dictsort needs a mapping.");
            case "selectattr" or "rejectattr":
                var attr = JinjaValues.Str(a.Count > 0 ? a[0] : null);
                var keep = name == "selectattr";
                return JinjaMembers.Iterate(v).Where(x =>
                {
                    var value = JinjaMembers.Item(x, attr);
                    var ok = a.Count > 1 ? Test(JinjaValues.Str(a[1]), value, a.Skip(2).ToList()) : JinjaValues.Truthy(value);
                    return ok == keep;
                }).ToList();
            case "select" or "reject":
                var keepTest = name == "select";
                return JinjaMembers.Iterate(v).Where(x => (a.Count > 0 ? Test(JinjaValues.Str(a[0]), x, a.Skip(1).ToList()) : JinjaValues.Truthy(x)) == keepTest).ToList();
            case "map":
                if (kw.TryGetValue("attribute", out var mapAttr))
                {
                    return JinjaMembers.Iterate(v).Select(x => JinjaMembers.Item(x, mapAttr)).ToList();
                }

                var filter = JinjaValues.Str(a.Count > 0 ? a[0] : null);
                return JinjaMembers.Iterate(v).Select(x => Apply(filter, x, a.Skip(1).ToList(), [], scope)).ToList();
            case "indent":
                var width = Arg(0, "width", 4L);
                var pad = width is string ps ? ps : new string(' ', (int)JinjaValues.ToDouble(width));
                var first = JinjaValues.Truthy(Arg(1, "first", false));
                var blank = JinjaValues.Truthy(Arg(2, "blank", false));
                var lines = JinjaValues.Str(v).Split('\n');
                var sb = new StringBuilder();
                for (var i = 0; i < lines.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append('\n');
                    }

                    var indentThis = (i > 0 || first) && (blank || lines[i].Length > 0);
                    sb.Append(indentThis ? pad : string.Empty).Append(lines[i]);
                }

                return sb.ToString();
            case "wordcount":
                return (long)JinjaValues.Str(v).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            default:
                throw new ChatTemplateException($"no filter named '{name}'.");
        }
    }

    public static bool Test(string name, object? v, List<object?> a) => name switch
    {
        "defined" => v is not JinjaUndefined,
        "undefined" => v is JinjaUndefined,
        "none" => v is null,
        "string" => v is string,
        "number" => v is long or double,
        "integer" => v is long,
        "float" => v is double,
        "boolean" => v is bool,
        "true" => v is true,
        "false" => v is false,
        "mapping" => v is Dictionary<string, object?>,
        "iterable" => v is string or List<object?> or Dictionary<string, object?>,
        "sequence" => v is string or List<object?> or Dictionary<string, object?>,
        "callable" => v is JinjaCallable,
        "even" => v is long e && e % 2 == 0,
        "odd" => v is long o && o % 2 != 0,
        "divisibleby" => v is long n && a.Count > 0 && a[0] is long m && m != 0 && n % m == 0,
        "equalto" or "eq" or "==" or "sameas" => a.Count > 0 && JinjaValues.Equals(v, a[0]),
        "ne" or "!=" => a.Count > 0 && !JinjaValues.Equals(v, a[0]),
        "in" => a.Count > 0 && a[0] switch
        {
            List<object?> l => l.Any(x => JinjaValues.Equals(x, v)),
            string s => v is string sub && s.Contains(sub, StringComparison.Ordinal),
            Dictionary<string, object?> d => v is string k && d.ContainsKey(k),
            _ => false,
        },
        "lower" => v is string lo && string.Equals(lo, lo.ToLowerInvariant(), StringComparison.Ordinal),
        "upper" => v is string up && string.Equals(up, up.ToUpperInvariant(), StringComparison.Ordinal),
        _ => throw new ChatTemplateException($"no test named '{name}'."),
    };

    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var start = true;
        foreach (var ch in s)
        {
            sb.Append(start ? char.ToUpperInvariant(ch) : char.ToLowerInvariant(ch));
            start = !char.IsLetterOrDigit(ch);
        }

        return sb.ToString();
    }
}
