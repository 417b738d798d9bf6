using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>NFC</c>, <c>NFD</c>, <c>NFKC</c>, <c>NFKD</c>.</summary>
/// <param name="form">The normalization form.</param>
internal sealed class UnicodeNormalizer(NormalizationForm form) : INormalizer
{
    /// <inheritdoc />
    public string Normalize(string text) => text.IsNormalized(form) ? text : text.Normalize(form);
}
