using System.Buffers;
using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>Finds added tokens in text: leftmost-longest, non-overlapping, with the <c>single_word</c>, <c>lstrip</c> and <c>rstrip</c> rules.</summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, (string Content, AddedToken Token)[]> _byFirstChar;
    private readonly SearchValues<char> _firstChars;

    /// <summary>Creates the matcher.</summary>
    /// <param name="tokens">The tokens with the text to match (content, or normalized content).</param>
    public AddedTokenMatcher(IEnumerable<(string Content, AddedToken Token)> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
        _firstChars = SearchValues.Create(_byFirstChar.Keys.ToArray());
    }

    /// <summary>Whether there is nothing to match.</summary>
    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>Appends each match as (start, end, token), where the span includes stripped whitespace.</summary>
    /// <param name="text">The text.</param>
    /// <param name="matches">Receives the matches, in order.</param>
    public void FindMatches(ReadOnlySpan<char> text, List<(int Start, int End, AddedToken Token)> matches)
    {
        if (IsEmpty)
        {
            return;
        }

        var pos = 0;
        var previousEnd = 0;
        while (pos < text.Length)
        {
            var offset = text[pos..].IndexOfAny(_firstChars);
            if (offset < 0)
            {
                return;
            }

            var i = pos + offset;
            AddedToken? found = null;
            var length = 0;
            foreach (var (content, token) in _byFirstChar[text[i]])
            {
                if (text[i..].StartsWith(content, StringComparison.Ordinal))
                {
                    found = token;
                    length = content.Length;
                    break;
                }
            }

            if (found is null)
            {
                pos = i + 1;
                continue;
            }

            var start = i;
            var end = i + length;
            pos = end;
            if (found.SingleWord && (EndsWithWordChar(text[..start]) || StartsWithWordChar(text[end..])))
            {
                continue;
            }

            if (found.LStrip)
            {
                while (start > previousEnd && char.IsWhiteSpace(text[start - 1]))
                {
                    start--;
                }
            }

            if (found.RStrip)
            {
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                {
                    end++;
                }
            }

            matches.Add((start, end, found));
            previousEnd = end;
            pos = end;
        }
    }

    private static bool EndsWithWordChar(ReadOnlySpan<char> text)
        => !text.IsEmpty && Rune.DecodeLastFromUtf16(text, out var rune, out _) == OperationStatus.Done && IsWordChar(rune);

    private static bool StartsWithWordChar(ReadOnlySpan<char> text)
        => !text.IsEmpty && Rune.DecodeFromUtf16(text, out var rune, out _) == OperationStatus.Done && IsWordChar(rune);

    private static bool IsWordChar(Rune rune)
    {
        if (rune.Value == '_' || rune.Value == 0x200C || rune.Value == 0x200D)
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.EnclosingMark or UnicodeCategory.ConnectorPunctuation => true,
            _ => false,
        };
    }
}
