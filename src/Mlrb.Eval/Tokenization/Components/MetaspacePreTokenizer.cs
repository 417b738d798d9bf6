namespace Mlrb.Eval.Tokenization.Components;

/// <summary>tokenizers' <c>Metaspace</c> pre-tokenizer: spaces become the replacement character, an optional prefix, an optional split.</summary>
internal sealed class MetaspacePreTokenizer : IPreTokenizer
{
    private readonly char _replacement;
    private readonly PrependScheme _scheme;
    private readonly bool _split;
    private readonly IMatchFinder _finder;

    /// <summary>Creates the step.</summary>
    /// <param name="replacement">The replacement character (normally U+2581).</param>
    /// <param name="scheme">When to prepend the replacement.</param>
    /// <param name="split">Split before each replacement character.</param>
    public MetaspacePreTokenizer(char replacement, PrependScheme scheme, bool split)
    {
        _replacement = replacement;
        _scheme = scheme;
        _split = split;
        _finder = RegexMatchFinder.Create(replacement.ToString(), isRegex: false);
    }

    /// <inheritdoc />
    public bool MapsBytes => false;

    /// <inheritdoc />
    public void PreTokenize(List<Piece> input, List<Piece> output)
    {
        foreach (var original in input)
        {
            var text = original.Span.ToString().Replace(' ', _replacement);
            var prepend = _scheme == PrependScheme.Always || (_scheme == PrependScheme.First && original.AtTextStart);
            if (prepend && (text.Length == 0 || text[0] != _replacement))
            {
                text = _replacement + text;
            }

            var piece = Piece.Whole(text, original.AtTextStart);
            if (_split)
            {
                Splitter.Split(piece, _finder, SplitBehavior.MergedWithNext, invert: false, output);
            }
            else if (piece.Length > 0)
            {
                output.Add(piece);
            }
        }
    }
}
