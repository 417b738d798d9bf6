namespace Mlrb.Eval.Tokenization.Models;

/// <summary>
/// The WordPiece model of tokenizers (<c>models/wordpiece</c>, BERT): greedy longest-match-first sub-words, later ones
/// looked up with the continuing-subword prefix (<c>##</c>); a word with no full segmentation, or longer than
/// <c>max_input_chars_per_word</c> characters, becomes the unknown token.
/// </summary>
internal sealed class WordPieceModel : ITokenizerModel
{
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string?[] _idToToken;
    private readonly CharTrie _first = new();
    private readonly CharTrie _continuing = new();
    private readonly string _unkToken;
    private readonly int _maxChars;

    /// <summary>Creates the model.</summary>
    /// <param name="vocab">Token to id.</param>
    /// <param name="unkToken">The unknown token (must be in the vocabulary when it is needed).</param>
    /// <param name="continuingSubwordPrefix">The prefix of non-initial sub-words.</param>
    /// <param name="maxInputCharsPerWord">Longer words are unknown.</param>
    public WordPieceModel(Dictionary<string, int> vocab, string unkToken, string continuingSubwordPrefix, int maxInputCharsPerWord)
    {
        _vocab = vocab;
        _lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _unkToken = unkToken;
        _maxChars = maxInputCharsPerWord;
        _idToToken = new string?[vocab.Count == 0 ? 0 : vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab)
        {
            _idToToken[id] = token;
            _first.Add(token, id);
            if (continuingSubwordPrefix.Length > 0 && token.Length > continuingSubwordPrefix.Length && token.StartsWith(continuingSubwordPrefix, StringComparison.Ordinal))
            {
                _continuing.Add(token[continuingSubwordPrefix.Length..], id);
            }
            else if (continuingSubwordPrefix.Length == 0)
            {
                _continuing.Add(token, id);
            }
        }
    }

    /// <inheritdoc />
    public int IdCount => _idToToken.Length;

    /// <inheritdoc />
    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _lookup.TryGetValue(token, out id);

    /// <inheritdoc />
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The word needs the unknown token and the vocabulary lacks it.</exception>
    public void Tokenize(ReadOnlySpan<char> piece, List<int> output)
    {
        if (piece.IsEmpty)
        {
            return;
        }

        if (CodePoints(piece) > _maxChars)
        {
            output.Add(UnknownId());
            return;
        }

        var mark = output.Count;
        var start = 0;
        while (start < piece.Length)
        {
            var trie = start == 0 ? _first : _continuing;
            var node = 0;
            var bestEnd = -1;
            var bestId = -1;
            for (var k = start; k < piece.Length; k++)
            {
                node = trie.Step(node, piece[k]);
                if (node < 0)
                {
                    break;
                }

                var id = trie.ValueAt(node);
                if (id >= 0)
                {
                    bestEnd = k + 1;
                    bestId = id;
                }
            }

            if (bestId < 0)
            {
                output.RemoveRange(mark, output.Count - mark);
                output.Add(UnknownId());
                return;
            }

            output.Add(bestId);
            start = bestEnd;
        }
    }

    private int UnknownId()
        => _vocab.TryGetValue(_unkToken, out var id) ? id : throw new InvalidOperationException($"a word needs the unknown token '{_unkToken}', which is not in the WordPiece vocabulary");

    private static int CodePoints(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (!char.IsLowSurrogate(c))
            {
                count++;
            }
        }

        return count;
    }
}
