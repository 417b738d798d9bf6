using System.Text.RegularExpressions;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>Finds matches with a .NET regular expression (patterns other than the GPT-2, Llama-3 and Qwen2 ones, or literal strings).</summary>
internal sealed class RegexMatchFinder : IMatchFinder
{
    private readonly Regex _regex;

    /// <summary>Creates the finder.</summary>
    /// <param name="regex">The compiled expression.</param>
    public RegexMatchFinder(Regex regex) => _regex = regex;

    /// <summary>Returns the fastest finder for a pattern: a hand-written scanner for the known patterns, otherwise a .NET regex.</summary>
    /// <param name="pattern">The pattern text.</param>
    /// <param name="isRegex">Whether the pattern is a regex (else a literal string).</param>
    /// <returns>The finder.</returns>
    public static IMatchFinder Create(string pattern, bool isRegex)
    {
        if (isRegex)
        {
            switch (pattern)
            {
                case Gpt2PatternMatcher.Pattern:
                    return Gpt2PatternMatcher.Instance;
                case TiktokenPatternMatcher.Llama3Pattern:
                    return TiktokenPatternMatcher.Llama3;
                case TiktokenPatternMatcher.Qwen2Pattern:
                    return TiktokenPatternMatcher.Qwen2;
            }
        }

        var text = isRegex ? RewritePossessive(pattern) : Regex.Escape(pattern);
        return new RegexMatchFinder(new Regex(text, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(10)));
    }

    /// <inheritdoc />
    public void FindMatches(ReadOnlySpan<char> text, List<(int Start, int Length)> matches)
    {
        foreach (var m in _regex.EnumerateMatches(text))
        {
            if (m.Length > 0)
            {
                matches.Add((m.Index, m.Length));
            }
        }
    }

    /// <summary>.NET has no possessive quantifiers: <c>X++</c>, <c>X*+</c> and <c>X?+</c> become atomic groups over the preceding atom.</summary>
    private static string RewritePossessive(string pattern)
    {
        if (!pattern.Contains("++", StringComparison.Ordinal) && !pattern.Contains("*+", StringComparison.Ordinal) && !pattern.Contains("?+", StringComparison.Ordinal))
        {
            return pattern;
        }

        var sb = new System.Text.StringBuilder();
        var groupStarts = new Stack<int>();
        var lastAtom = -1;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                lastAtom = sb.Length;
                sb.Append(c).Append(pattern[++i]);
                if ((pattern[i] == 'p' || pattern[i] == 'P') && i + 1 < pattern.Length && pattern[i + 1] == '{')
                {
                    var close = pattern.IndexOf('}', i);
                    sb.Append(pattern, i + 1, close - i);
                    i = close;
                }

                continue;
            }

            if (c == '[')
            {
                lastAtom = sb.Length;
                var j = i + 1;
                if (j < pattern.Length && pattern[j] == '^')
                {
                    j++;
                }

                if (j < pattern.Length && pattern[j] == ']')
                {
                    j++;
                }

                while (j < pattern.Length && pattern[j] != ']')
                {
                    j += pattern[j] == '\\' ? 2 : 1;
                }

                sb.Append(pattern, i, j - i + 1);
                i = j;
                continue;
            }

            if (c == '(')
            {
                groupStarts.Push(sb.Length);
                sb.Append(c);
                continue;
            }

            if (c == ')')
            {
                lastAtom = groupStarts.Count > 0 ? groupStarts.Pop() : sb.Length;
                sb.Append(c);
                continue;
            }

            if ((c is '+' or '*' or '?') && i + 1 < pattern.Length && pattern[i + 1] == '+' && lastAtom >= 0)
            {
                sb.Append(c);
                sb.Insert(lastAtom, "(?>");
                sb.Append(')');
                i++;
                continue;
            }

            if (c is not ('+' or '*' or '?' or '|'))
            {
                lastAtom = sb.Length;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
