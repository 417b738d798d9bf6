namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>BPEDecoder</c>: the end-of-word suffix becomes a space (nothing in the last token).</summary>
/// <param name="suffix">The suffix (<c>&lt;/w&gt;</c>).</param>
internal sealed class BpeSuffixDecoder(string suffix) : IDecoder
{
    /// <inheritdoc />
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            tokens[i] = suffix.Length == 0 ? tokens[i] : tokens[i].Replace(suffix, i == tokens.Count - 1 ? string.Empty : " ", StringComparison.Ordinal);
        }
    }
}
