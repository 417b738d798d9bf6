namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Strip</c>: trims Unicode whitespace on the left and/or right.</summary>
/// <param name="left">Trim the start.</param>
/// <param name="right">Trim the end.</param>
internal sealed class StripNormalizer(bool left, bool right) : INormalizer
{
    /// <inheritdoc />
    public string Normalize(string text)
    {
        var span = text.AsSpan();
        if (left)
        {
            span = span.TrimStart();
        }

        if (right)
        {
            span = span.TrimEnd();
        }

        return span.Length == text.Length ? text : span.ToString();
    }
}
