using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>
/// tokenizers' <c>BertNormalizer</c>: clean text (drop NUL, U+FFFD and control/format/unassigned/private-use characters,
/// map whitespace to a space), put spaces around CJK ideographs, strip accents (NFD, then drop non-spacing marks;
/// defaults to <c>lowercase</c>), lowercase.
/// </summary>
internal sealed class BertNormalizer : INormalizer
{
    private readonly bool _cleanText;
    private readonly bool _chineseChars;
    private readonly bool _stripAccents;
    private readonly bool _lowercase;
    private readonly UnicodeNormalizer _nfd = new(NormalizationForm.FormD);
    private readonly LowercaseNormalizer _lower = new();

    /// <summary>Creates the normalizer.</summary>
    /// <param name="cleanText">Remove control characters, whitespace to spaces.</param>
    /// <param name="handleChineseChars">Spaces around CJK ideographs.</param>
    /// <param name="stripAccents">Strip accents; null follows <paramref name="lowercase"/>.</param>
    /// <param name="lowercase">Lowercase.</param>
    public BertNormalizer(bool cleanText, bool handleChineseChars, bool? stripAccents, bool lowercase)
    {
        _cleanText = cleanText;
        _chineseChars = handleChineseChars;
        _stripAccents = stripAccents ?? lowercase;
        _lowercase = lowercase;
    }

    /// <inheritdoc />
    public string Normalize(string text)
    {
        if (_cleanText || _chineseChars)
        {
            var sb = new StringBuilder(text.Length);
            var i = 0;
            while (i < text.Length)
            {
                var cp = Patterns.UnicodeData.CodePointAt(text, i, out var width);
                i += width;
                if (_cleanText)
                {
                    if (cp == 0 || cp == 0xFFFD || (cp is not ('\t' or '\n' or '\r') && BertCharacterClasses.IsOther(cp)))
                    {
                        continue;
                    }

                    if (cp is '\t' or '\n' or '\r' || Patterns.UnicodeData.IsWhiteSpace(cp))
                    {
                        sb.Append(' ');
                        continue;
                    }
                }

                if (_chineseChars && BertCharacterClasses.IsChineseChar(cp))
                {
                    sb.Append(' ').Append(char.ConvertFromUtf32(cp)).Append(' ');
                    continue;
                }

                sb.Append(text, i - width, width);
            }

            text = sb.ToString();
        }

        if (_stripAccents)
        {
            text = StripAccentsNormalizer.Remove(_nfd.Normalize(text), BertCharacterClasses.IsNonSpacingMark);
        }

        return _lowercase ? _lower.Normalize(text) : text;
    }
}
