namespace Mlrb.Eval.Tokenization.Components;

/// <summary>
/// A hand-written scanner equivalent, under Oniguruma, to the Llama-3 pre-tokenizer regex
/// (<c>\p{N}{1,3}</c>) and the Qwen2 one (<c>\p{N}</c>), matching per code point.
/// </summary>
internal sealed class TiktokenPatternMatcher : IMatchFinder
{
    /// <summary>The Llama-3 pattern text.</summary>
    public const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The Qwen2 pattern text.</summary>
    public const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The Llama-3 matcher (digits in groups of up to three).</summary>
    public static readonly TiktokenPatternMatcher Llama3 = new(3);

    /// <summary>The Qwen2 matcher (single digits).</summary>
    public static readonly TiktokenPatternMatcher Qwen2 = new(1);

    private readonly int _maxDigits;

    private TiktokenPatternMatcher(int maxDigits) => _maxDigits = maxDigits;

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

    private static bool IsNewline(char c) => c is '\r' or '\n';

    private static char Fold(char c) => c == '\u017F' ? 's' : char.ToLowerInvariant(c);

    private int MatchAt(ReadOnlySpan<char> s, int i)
    {
        var n = s.Length;
        var c = s[i];
        if (c == '\'' && i + 1 < n)
        {
            var d = Fold(s[i + 1]);
            if (d is 's' or 't' or 'm' or 'd')
            {
                return 2;
            }

            if (i + 2 < n)
            {
                var e = Fold(s[i + 2]);
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l'))
                {
                    return 3;
                }
            }
        }

        var kind = CharClass.At(s, i, out var width);

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (kind == CharKind.Letter)
        {
            return CharClass.RunEnd(s, i, CharKind.Letter) - i;
        }

        if (kind != CharKind.Number && !IsNewline(c) && i + width < n && CharClass.At(s, i + width, out _) == CharKind.Letter)
        {
            return CharClass.RunEnd(s, i + width, CharKind.Letter) - i;
        }

        // \p{N}{1,3}
        if (kind == CharKind.Number)
        {
            var end = i;
            for (var count = 0; count < _maxDigits && end < n && CharClass.At(s, end, out var w) == CharKind.Number; count++)
            {
                end += w;
            }

            return end - i;
        }

        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        var start = -1;
        if (kind == CharKind.Other)
        {
            start = i;
        }
        else if (c == ' ' && i + 1 < n && CharClass.At(s, i + 1, out _) == CharKind.Other)
        {
            start = i + 1;
        }

        if (start >= 0)
        {
            var end = CharClass.RunEnd(s, start, CharKind.Other);
            while (end < n && IsNewline(s[end]))
            {
                end++;
            }

            return end - i;
        }

        // \s*[\r\n]+ : the whitespace run up to and including its last newline
        var runEnd = CharClass.RunEnd(s, i, CharKind.Space);
        for (var k = runEnd - 1; k >= i; k--)
        {
            if (IsNewline(s[k]))
            {
                return k + 1 - i;
            }
        }

        return Gpt2PatternMatcher.WhitespaceRun(s, i);
    }
}
