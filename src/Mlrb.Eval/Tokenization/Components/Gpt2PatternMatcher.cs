namespace Mlrb.Eval.Tokenization.Components;

/// <summary>
/// A hand-written scanner equivalent to GPT-2's pre-tokenizer regex under Oniguruma:
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>, matching per code point.
/// </summary>
internal sealed class Gpt2PatternMatcher : IMatchFinder
{
    /// <summary>The pattern text as it appears in tokenizer.json files.</summary>
    public const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>The shared instance.</summary>
    public static readonly Gpt2PatternMatcher Instance = new();

    /// <inheritdoc />
    public void FindMatches(ReadOnlySpan<char> text, List<(int Start, int Length)> matches)
    {
        var i = 0;
        while (i < text.Length)
        {
            var length = MatchAt(text, i);
            matches.Add((i, length));
            i += length;
        }
    }

    private static int MatchAt(ReadOnlySpan<char> s, int i)
    {
        var n = s.Length;
        var c = s[i];
        if (c == '\'' && i + 1 < n)
        {
            var d = s[i + 1];
            if (d is 's' or 't' or 'm' or 'd')
            {
                return 2;
            }

            if (i + 2 < n)
            {
                var e = s[i + 2];
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l'))
                {
                    return 3;
                }
            }
        }

        if (c == ' ' && i + 1 < n)
        {
            var next = CharClass.At(s, i + 1, out _);
            if (next != CharKind.Space)
            {
                return CharClass.RunEnd(s, i + 1, next) - i;
            }
        }

        var kind = CharClass.At(s, i, out _);
        if (kind != CharKind.Space)
        {
            return CharClass.RunEnd(s, i, kind) - i;
        }

        return WhitespaceRun(s, i);
    }

    /// <summary><c>\s+(?!\S)|\s+</c> at a whitespace position: a run followed by a non-space leaves its last scalar to the next piece.</summary>
    /// <param name="s">The text.</param>
    /// <param name="i">A whitespace position.</param>
    /// <returns>The match length.</returns>
    internal static int WhitespaceRun(ReadOnlySpan<char> s, int i)
    {
        var end = i;
        var lastStart = i;
        while (end < s.Length && CharClass.At(s, end, out var w) == CharKind.Space)
        {
            lastStart = end;
            end += w;
        }

        if (end == s.Length || lastStart == i)
        {
            return end - i;
        }

        return lastStart - i;
    }
}
