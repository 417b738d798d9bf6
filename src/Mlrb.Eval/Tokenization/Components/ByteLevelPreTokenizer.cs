namespace Mlrb.Eval.Tokenization.Components;

/// <summary>tokenizers' <c>ByteLevel</c> pre-tokenizer: optional prefix space per piece, optional GPT-2 split; the byte mapping itself is done by the model per piece.</summary>
internal sealed class ByteLevelPreTokenizer : IPreTokenizer
{
    private readonly bool _addPrefixSpace;
    private readonly bool _useRegex;

    /// <summary>Creates the step.</summary>
    /// <param name="addPrefixSpace">Prepend a space to every piece that does not start with one.</param>
    /// <param name="useRegex">Split with the GPT-2 pattern.</param>
    public ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex)
    {
        _addPrefixSpace = addPrefixSpace;
        _useRegex = useRegex;
    }

    /// <inheritdoc />
    public bool MapsBytes => true;

    /// <inheritdoc />
    public void PreTokenize(List<Piece> input, List<Piece> output)
    {
        foreach (var original in input)
        {
            var piece = original;
            if (_addPrefixSpace && (piece.Length == 0 || piece.Text[piece.Start] != ' '))
            {
                piece = new Piece(" " + piece.Span.ToString(), 0, piece.Length + 1, piece.AtTextStart);
            }

            if (_useRegex)
            {
                Splitter.Split(piece, Gpt2PatternMatcher.Instance, SplitBehavior.Isolated, invert: false, output);
            }
            else if (piece.Length > 0)
            {
                output.Add(piece);
            }
        }
    }
}
