namespace Mlrb.Eval.Tokenization.Components;

/// <summary>A slice of text on its way through the pre-tokenizers.</summary>
/// <param name="Text">The string the slice is cut from.</param>
/// <param name="Start">Start of the slice in <paramref name="Text"/>.</param>
/// <param name="Length">Length of the slice.</param>
/// <param name="AtTextStart">Whether the slice begins at offset 0 of the original input (Metaspace's <c>first</c> scheme).</param>
internal readonly record struct Piece(string Text, int Start, int Length, bool AtTextStart)
{
    /// <summary>The characters of the slice.</summary>
    public ReadOnlySpan<char> Span => Text.AsSpan(Start, Length);

    /// <summary>Creates a piece covering a whole string.</summary>
    /// <param name="text">The string.</param>
    /// <param name="atTextStart">Whether it begins the original input.</param>
    /// <returns>The piece.</returns>
    public static Piece Whole(string text, bool atTextStart) => new(text, 0, text.Length, atTextStart);
}
