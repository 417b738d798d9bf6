namespace Mlrb.Eval.Tokenization.Components;

/// <summary>tokenizers' <c>Sequence</c> pre-tokenizer: the steps in order.</summary>
internal sealed class SequencePreTokenizer : IPreTokenizer
{
    private readonly IPreTokenizer[] _steps;

    /// <summary>Creates the step.</summary>
    /// <param name="steps">The steps.</param>
    public SequencePreTokenizer(IPreTokenizer[] steps) => _steps = steps;

    /// <inheritdoc />
    public bool MapsBytes => _steps.Any(s => s.MapsBytes);

    /// <inheritdoc />
    public void PreTokenize(List<Piece> input, List<Piece> output)
    {
        var current = input;
        for (var i = 0; i < _steps.Length; i++)
        {
            var target = i == _steps.Length - 1 ? output : new List<Piece>(current.Count * 2);
            _steps[i].PreTokenize(current, target);
            current = target;
        }

        if (_steps.Length == 0)
        {
            output.AddRange(input);
        }
    }
}
