using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Data;

/// <summary>Python <c>str</c> semantics the harness templates rely on: whitespace set, strip, split and code-point slices.</summary>
internal static class PyText
{
    /// <summary>Python's <c>str.isspace</c> for one character (.NET's set plus U+001C..U+001F).</summary>
    public static bool IsWhiteSpace(char c) => char.IsWhiteSpace(c) || (c >= '\u001c' && c <= '\u001f');

    /// <summary><c>s.rstrip()</c>.</summary>
    public static string RStrip(string s)
    {
        var end = s.Length;
        while (end > 0 && IsWhiteSpace(s[end - 1]))
        {
            end--;
        }

        return s[..end];
    }

    /// <summary><c>s.strip()</c>.</summary>
    public static string Strip(string s)
    {
        var start = 0;
        while (start < s.Length && IsWhiteSpace(s[start]))
        {
            start++;
        }

        return RStrip(s[start..]);
    }

    /// <summary><c>s.split()</c> with no separator: runs of whitespace, no empty items.</summary>
    public static List<string> Split(string s)
    {
        var parts = new List<string>();
        var start = -1;
        for (var i = 0; i < s.Length; i++)
        {
            if (IsWhiteSpace(s[i]))
            {
                if (start >= 0)
                {
                    parts.Add(s[start..i]);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            parts.Add(s[start..]);
        }

        return parts;
    }

    /// <summary>Number of code points (Python <c>len</c>).</summary>
    public static int Length(string s)
    {
        var n = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            n++;
        }

        return n;
    }

    /// <summary>Python slice <c>s[start:end]</c> in code points with Python's clamping and negative indices.</summary>
    public static string Slice(string s, int? start, int? end = null)
    {
        var runes = s.EnumerateRunes().ToArray();
        var n = runes.Length;
        var a = Normalize(start ?? 0, n);
        var b = Normalize(end ?? n, n);
        if (b <= a)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        for (var i = a; i < b; i++)
        {
            sb.Append(runes[i].ToString());
        }

        return sb.ToString();
    }

    /// <summary>Lower-cases the first code point, as <c>c[0].lower() + c[1:]</c>.</summary>
    public static string LowerFirst(string s)
    {
        if (s.Length == 0)
        {
            return s;
        }

        var first = s.EnumerateRunes().First();
        var rest = s[first.Utf16SequenceLength..];
        return Rune.ToLowerInvariant(first).ToString() + rest;
    }

    /// <summary>Upper-cases the first code point.</summary>
    public static string UpperFirst(string s)
    {
        if (s.Length == 0)
        {
            return s;
        }

        var first = s.EnumerateRunes().First();
        return Rune.ToUpperInvariant(first).ToString() + s[first.Utf16SequenceLength..];
    }

    /// <summary>Formats a double the way the reports do (invariant, round-trip).</summary>
    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static int Normalize(int index, int n)
    {
        if (index < 0)
        {
            index += n;
        }

        return Math.Clamp(index, 0, n);
    }
}
