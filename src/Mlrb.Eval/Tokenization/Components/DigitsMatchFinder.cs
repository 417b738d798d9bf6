using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>The matches of tokenizers' <c>Digits</c> pre-tokenizer: numeric scalars, one by one or in runs.</summary>
internal sealed class DigitsMatchFinder : IMatchFinder
{
    private readonly bool _individual;

    /// <summary>Creates the finder.</summary>
    /// <param name="individual">One match per digit, else one per run.</param>
    public DigitsMatchFinder(bool individual) => _individual = individual;

    /// <inheritdoc />
    public void FindMatches(ReadOnlySpan<char> text, List<(int Start, int Length)> matches)
    {
        var i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text[i..], out var rune, out var width);
            if (!IsNumeric(rune))
            {
                i += width;
                continue;
            }

            var start = i;
            i += width;
            while (!_individual && i < text.Length)
            {
                Rune.DecodeFromUtf16(text[i..], out rune, out width);
                if (!IsNumeric(rune))
                {
                    break;
                }

                i += width;
            }

            matches.Add((start, i - start));
        }
    }

    private static bool IsNumeric(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
