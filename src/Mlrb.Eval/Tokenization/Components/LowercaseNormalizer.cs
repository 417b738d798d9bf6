using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Lowercase</c>, per scalar value (the invariant simple mapping; Rust's full mapping differs only for a few characters such as U+0130).</summary>
internal sealed class LowercaseNormalizer : INormalizer
{
    /// <inheritdoc />
    public string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x130)
            {
                sb.Append("i\u0307");
                continue;
            }

            sb.Append(Rune.ToLowerInvariant(rune).ToString());
        }

        return sb.ToString();
    }
}
