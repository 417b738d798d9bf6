using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>tokenizers' <c>StripAccents</c>: removes combining marks (it does not decompose first; files put NFD/NFKD before it).</summary>
internal sealed class StripAccentsNormalizer : INormalizer
{
    /// <inheritdoc />
    public string Normalize(string text) => Remove(text, BertCharacterClasses.IsCombiningMark);

    /// <summary>Removes the code points a predicate selects.</summary>
    /// <param name="text">The text.</param>
    /// <param name="remove">Which code points go.</param>
    /// <returns>The text without them.</returns>
    public static string Remove(string text, Func<int, bool> remove)
    {
        StringBuilder? sb = null;
        var i = 0;
        while (i < text.Length)
        {
            var cp = Patterns.UnicodeData.CodePointAt(text, i, out var width);
            if (remove(cp))
            {
                sb ??= new StringBuilder(text.Length).Append(text, 0, i);
            }
            else
            {
                sb?.Append(text, i, width);
            }

            i += width;
        }

        return sb?.ToString() ?? text;
    }
}
