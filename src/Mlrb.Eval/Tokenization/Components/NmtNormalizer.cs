using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>tokenizers' <c>Nmt</c> normalizer: drops ASCII control characters and maps other space-like code points to a space.</summary>
internal sealed class NmtNormalizer : INormalizer
{
    /// <inheritdoc />
    public string Normalize(string text)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var keep = c is not ((>= '\u0001' and <= '\u0008') or '\u000B' or (>= '\u000E' and <= '\u001F') or '\u007F' or '\u008F' or '\u009F');
            var mapped = c is '\t' or '\n' or '\f' or '\r' or '\u1680' or (>= '\u200B' and <= '\u200F') or '\u2028' or '\u2029' or '\u2581' or '\uFEFF' or '\uFFFD'
                ? ' '
                : c;
            if (sb is null && keep && mapped == c)
            {
                continue;
            }

            sb ??= new StringBuilder(text.Length).Append(text, 0, i);
            if (keep)
            {
                sb.Append(mapped);
            }
        }

        return sb?.ToString() ?? text;
    }
}
