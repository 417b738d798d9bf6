namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Sequence</c>: the normalizers in order.</summary>
/// <param name="steps">The normalizers.</param>
internal sealed class SequenceNormalizer(INormalizer[] steps) : INormalizer
{
    /// <inheritdoc />
    public string Normalize(string text)
    {
        foreach (var step in steps)
        {
            text = step.Normalize(text);
        }

        return text;
    }
}
