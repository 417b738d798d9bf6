namespace Mlrb.Eval.Tokenization.Components;

/// <summary>
/// The character classes of tokenizers' BERT components (BertNormalizer, StripAccents, BertPreTokenizer, Punctuation).
/// tokenizers takes them from the <c>unicode_categories</c> crate, whose tables differ from current Unicode (its
/// "non-spacing marks" include spacing marks, its "other" has no unassigned code points), so they are looked up in
/// <see cref="BertUnicodeTables"/>, generated from the reference library's own behaviour.
/// </summary>
internal static class BertCharacterClasses
{
    /// <summary>Control, format or private use: BertNormalizer's clean-text filter (NUL and U+FFFD are handled apart).</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>True when removed.</returns>
    public static bool IsOther(int cp) => InRanges(BertUnicodeTables.Other, cp);

    /// <summary>What BertNormalizer's accent stripping removes after NFD.</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>True when removed.</returns>
    public static bool IsNonSpacingMark(int cp) => cp >= 0x300 && InRanges(BertUnicodeTables.NonSpacingMark, cp);

    /// <summary>What the StripAccents normalizer removes.</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>True when removed.</returns>
    public static bool IsCombiningMark(int cp) => cp >= 0x300 && InRanges(BertUnicodeTables.CombiningMark, cp);

    /// <summary>BERT punctuation: ASCII punctuation or the crate's punctuation categories.</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>True for punctuation.</returns>
    public static bool IsPunctuation(int cp) => InRanges(BertUnicodeTables.Punctuation, cp);

    /// <summary>The CJK ideographs BertNormalizer spaces out.</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>True for an ideograph.</returns>
    public static bool IsChineseChar(int cp) => cp >= 0x3400 && InRanges(BertUnicodeTables.ChineseChar, cp);

    private static bool InRanges(int[] ranges, int cp)
    {
        // Binary search over [first, last] pairs.
        int lo = 0, hi = (ranges.Length / 2) - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid])
            {
                hi = mid - 1;
            }
            else if (cp > ranges[(2 * mid) + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
