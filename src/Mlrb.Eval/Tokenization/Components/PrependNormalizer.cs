namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Prepend</c>: prepends a string to a non-empty segment.</summary>
/// <param name="prefix">The string to prepend.</param>
internal sealed class PrependNormalizer(string prefix) : INormalizer
{
    /// <inheritdoc />
    public string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}
