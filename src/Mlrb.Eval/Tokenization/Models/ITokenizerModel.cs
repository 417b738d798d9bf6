namespace Mlrb.Eval.Tokenization.Models;

/// <summary>The <c>model</c> of a tokenizer.json (BPE, Unigram, WordPiece): turns one pre-tokenized piece into ids.</summary>
internal interface ITokenizerModel
{
    /// <summary>One more than the largest id.</summary>
    int IdCount { get; }

    /// <summary>Looks a token string up.</summary>
    /// <param name="token">The token.</param>
    /// <param name="id">Its id.</param>
    /// <returns>Whether it is in the vocabulary.</returns>
    bool TryGetId(ReadOnlySpan<char> token, out int id);

    /// <summary>The token string of an id, or null.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The token, or null.</returns>
    string? IdToToken(int id);

    /// <summary>Tokenizes one pre-token piece and appends its ids.</summary>
    /// <param name="piece">The piece.</param>
    /// <param name="output">Receives the ids.</param>
    void Tokenize(ReadOnlySpan<char> piece, List<int> output);
}
