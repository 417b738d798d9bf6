namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Sequence</c> decoder: the steps in order.</summary>
/// <param name="steps">The steps.</param>
internal sealed class SequenceDecoder(IDecoder[] steps) : IDecoder
{
    /// <inheritdoc />
    public void Decode(List<string> tokens)
    {
        foreach (var step in steps)
        {
            step.Decode(tokens);
        }
    }
}
