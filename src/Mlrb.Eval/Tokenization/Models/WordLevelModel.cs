namespace Mlrb.Eval.Tokenization.Models;

/// <summary>The WordLevel model of tokenizers: each piece is one vocabulary entry, or the unknown token.</summary>
/// <param name="vocab">Token to id.</param>
/// <param name="unkToken">The unknown token.</param>
internal sealed class WordLevelModel(Dictionary<string, int> vocab, string unkToken) : ITokenizerModel
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly string?[] _idToToken = BuildReverse(vocab);

    /// <inheritdoc />
    public int IdCount => _idToToken.Length;

    /// <inheritdoc />
    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _lookup.TryGetValue(token, out id);

    /// <inheritdoc />
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The piece is unknown and the vocabulary lacks the unknown token.</exception>
    public void Tokenize(ReadOnlySpan<char> piece, List<int> output)
    {
        if (_lookup.TryGetValue(piece, out var id) || vocab.TryGetValue(unkToken, out id))
        {
            output.Add(id);
            return;
        }

        throw new InvalidOperationException($"the piece '{piece}' is not in the WordLevel vocabulary, nor is its unknown token '{unkToken}'");
    }

    private static string?[] BuildReverse(Dictionary<string, int> vocab)
    {
        var result = new string?[vocab.Count == 0 ? 0 : vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab)
        {
            result[id] = token;
        }

        return result;
    }
}
