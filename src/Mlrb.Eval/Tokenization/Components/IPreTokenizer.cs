namespace Mlrb.Eval.Tokenization.Components;

/// <summary>One pre-tokenizer step (<c>pre_tokenizer</c> in tokenizer.json): splits (and may rewrite) pieces.</summary>
internal interface IPreTokenizer
{
    /// <summary>Whether the step maps bytes to GPT-2's byte-level alphabet (applied by the model, per piece).</summary>
    bool MapsBytes { get; }

    /// <summary>Splits each input piece and appends the non-empty results to <paramref name="output"/>.</summary>
    /// <param name="input">The pieces so far.</param>
    /// <param name="output">Receives the new pieces.</param>
    void PreTokenize(List<Piece> input, List<Piece> output);
}
