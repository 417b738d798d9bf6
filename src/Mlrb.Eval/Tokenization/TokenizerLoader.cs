namespace Mlrb.Eval.Tokenization;

/// <summary>Loads the tokenizer of a Hugging Face model folder.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Loads <c>tokenizer.json</c>, else <c>vocab.json</c> + <c>merges.txt</c>, else a SentencePiece <c>tokenizer.model</c>,
    /// with <c>tokenizer_config.json</c> applied.
    /// </summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <returns>The tokenizer.</returns>
    public static ITokenizer Load(string modelDirectory)
        => throw new NotImplementedException("Tokenizers are being written (issue 5).");
}
