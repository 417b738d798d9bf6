namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Fuse</c> decoder: joins every token into one string.</summary>
internal sealed class FuseDecoder : IDecoder
{
    /// <inheritdoc />
    public void Decode(List<string> tokens)
    {
        var joined = string.Concat(tokens);
        tokens.Clear();
        tokens.Add(joined);
    }
}
