namespace Mlrb.Eval.Tokenization.Components;

/// <summary>tokenizers' <c>Split</c> pre-tokenizer (and <c>Digits</c>, which is a split on numbers).</summary>
internal sealed class SplitPreTokenizer : IPreTokenizer
{
    private readonly IMatchFinder _finder;
    private readonly SplitBehavior _behavior;
    private readonly bool _invert;

    /// <summary>Creates the step.</summary>
    /// <param name="finder">The pattern.</param>
    /// <param name="behavior">What to do with matches.</param>
    /// <param name="invert">Swap matches and gaps.</param>
    public SplitPreTokenizer(IMatchFinder finder, SplitBehavior behavior, bool invert)
    {
        _finder = finder;
        _behavior = behavior;
        _invert = invert;
    }

    /// <inheritdoc />
    public bool MapsBytes => false;

    /// <inheritdoc />
    public void PreTokenize(List<Piece> input, List<Piece> output)
    {
        foreach (var piece in input)
        {
            Splitter.Split(piece, _finder, _behavior, _invert, output);
        }
    }
}
