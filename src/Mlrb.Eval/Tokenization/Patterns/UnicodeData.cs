using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>Per-code-point Unicode facts the pattern engine needs (general category, White_Space, word characters), for any scalar value including astral ones.</summary>
internal static class UnicodeData
{
    /// <summary>The general category of a code point; lone surrogates are <see cref="UnicodeCategory.Surrogate"/>.</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>The category.</returns>
    public static UnicodeCategory Category(int cp)
        => Rune.IsValid(cp) ? Rune.GetUnicodeCategory(new Rune(cp)) : UnicodeCategory.Surrogate;

    /// <summary>The Unicode White_Space property (Oniguruma's <c>\s</c> and Rust's <c>char::is_whitespace</c>).</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>True for white space.</returns>
    public static bool IsWhiteSpace(int cp) => Rune.IsValid(cp) && Rune.IsWhiteSpace(new Rune(cp));

    /// <summary>Oniguruma's Unicode <c>\w</c>: letters, marks, decimal and letter numbers, connector punctuation, ZWNJ/ZWJ.</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>True for a word character.</returns>
    public static bool IsWord(int cp)
    {
        if (cp is 0x200C or 0x200D)
        {
            return true;
        }

        return Category(cp) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.ConnectorPunctuation => true,
            _ => false,
        };
    }

    /// <summary>The code point at a position of UTF-16 text; a lone surrogate is returned as itself (width 1).</summary>
    /// <param name="text">The text.</param>
    /// <param name="index">A position inside the text.</param>
    /// <param name="width">Its width in UTF-16 units (1 or 2).</param>
    /// <returns>The code point.</returns>
    public static int CodePointAt(ReadOnlySpan<char> text, int index, out int width)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }

        width = 1;
        return c;
    }

    /// <summary>The code point that ends just before a position (for stepping back).</summary>
    /// <param name="text">The text.</param>
    /// <param name="end">A position after at least one unit.</param>
    /// <param name="width">Its width in UTF-16 units (1 or 2).</param>
    /// <returns>The code point.</returns>
    public static int CodePointBefore(ReadOnlySpan<char> text, int end, out int width)
    {
        var c = text[end - 1];
        if (char.IsLowSurrogate(c) && end >= 2 && char.IsHighSurrogate(text[end - 2]))
        {
            width = 2;
            return char.ConvertToUtf32(text[end - 2], c);
        }

        width = 1;
        return c;
    }

    /// <summary>The code points that match <paramref name="cp"/> case-insensitively (simple case folding, as Oniguruma's <c>(?i)</c> does for single characters).</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>The code point and its case variants.</returns>
    public static int[] CaseVariants(int cp)
    {
        if (!Rune.IsValid(cp))
        {
            return [cp];
        }

        var set = new SortedSet<int> { cp };
        var rune = new Rune(cp);
        var lower = Rune.ToLowerInvariant(rune).Value;
        var upper = Rune.ToUpperInvariant(rune).Value;
        set.Add(lower);
        set.Add(upper);
        set.Add(Rune.ToUpperInvariant(new Rune(lower)).Value);
        set.Add(Rune.ToLowerInvariant(new Rune(upper)).Value);

        // Characters whose case folding maps them onto an ASCII letter without a simple upper/lower pair.
        foreach (var (a, b) in SpecialFolds)
        {
            if (set.Contains(a) || set.Contains(b))
            {
                set.Add(a);
                set.Add(b);
                set.Add(Rune.ToUpperInvariant(new Rune(b)).Value);
            }
        }

        return [.. set];
    }

    // LATIN SMALL LETTER LONG S folds to s, KELVIN SIGN to k, ANGSTROM SIGN to å, GREEK letters with two lowercase forms.
    private static readonly (int Special, int Folded)[] SpecialFolds =
    [
        (0x017F, 's'), (0x212A, 'k'), (0x212B, 0x00E5), (0x03C2, 0x03C3), (0x03D0, 0x03B2), (0x03D1, 0x03B8),
        (0x03D5, 0x03C6), (0x03D6, 0x03C0), (0x03F0, 0x03BA), (0x03F1, 0x03C1), (0x03F5, 0x03B5), (0x1E9B, 0x1E61), (0x1FBE, 0x03B9),
    ];
}
