namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Metaspace</c> decoder: the replacement character becomes a space, except in the first token, where it is removed (unless the scheme is <c>never</c>).</summary>
/// <param name="replacement">The replacement character.</param>
/// <param name="scheme">The prepend scheme.</param>
internal sealed class MetaspaceDecoder(char replacement, PrependScheme scheme) : IDecoder
{
    /// <inheritdoc />
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            tokens[i] = i == 0 && scheme != PrependScheme.Never
                ? tokens[i].Replace(replacement.ToString(), string.Empty, StringComparison.Ordinal)
                : tokens[i].Replace(replacement, ' ');
        }
    }
}
