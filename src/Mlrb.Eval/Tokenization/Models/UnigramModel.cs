using System.Collections.Concurrent;
using System.Text;

namespace Mlrb.Eval.Tokenization.Models;

/// <summary>
/// The Unigram model of tokenizers (<c>models/unigram</c>, SentencePiece's algorithm): the best-scoring segmentation of
/// each piece by Viterbi over a lattice of vocabulary matches, an unknown-character node scored <c>min_score - 10</c>
/// where no single-character piece exists, consecutive unknowns fused, optional byte fallback.
/// </summary>
internal sealed class UnigramModel : ITokenizerModel
{
    /// <summary>The score penalty of an unknown character below the lowest piece score (SentencePiece's <c>kUnkPenalty</c>).</summary>
    public const double UnknownPenalty = 10.0;

    private const int MaxCachedPieceLength = 256;
    private const int MaxCacheEntries = 1 << 18;

    private readonly string[] _pieces;
    private readonly double[] _scores;
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly CharTrie _trie = new();
    private readonly int _unkId;
    private readonly double _unkScore;
    private readonly bool _byteFallback;
    private readonly bool _singlePrecision;
    private readonly int[] _byteIds = new int[256];
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private int _cacheCount;

    [ThreadStatic]
    private static Lattice? t_lattice;

    /// <summary>Creates the model.</summary>
    /// <param name="pieces">The vocabulary, in id order.</param>
    /// <param name="scores">Each piece's score (log probability).</param>
    /// <param name="unkId">The id of the unknown token, or -1 (an unknown character is then an error, as in tokenizers).</param>
    /// <param name="byteFallback">Unknown characters become <c>&lt;0xHH&gt;</c> pieces when all their bytes are in the vocabulary.</param>
    /// <param name="matchable">Which pieces the lattice may use (null: all, as tokenizers does; SentencePiece leaves out control and unknown pieces).</param>
    /// <param name="unkScore">The unknown node's score; null for tokenizers' rule, the lowest score minus <see cref="UnknownPenalty"/>.</param>
    /// <param name="singlePrecision">Sum path scores in 32-bit floats, as SentencePiece does (tokenizers sums in 64-bit).</param>
    /// <exception cref="ArgumentException">The vocabulary is empty, has duplicates, or the unknown id is out of range.</exception>
    public UnigramModel(string[] pieces, double[] scores, int unkId, bool byteFallback, bool[]? matchable = null, double? unkScore = null, bool singlePrecision = false)
    {
        _singlePrecision = singlePrecision;
        if (pieces.Length == 0)
        {
            throw new ArgumentException("the Unigram vocabulary is empty");
        }

        if (unkId >= pieces.Length)
        {
            throw new ArgumentException($"unk_id {unkId} is outside the vocabulary of {pieces.Length} pieces");
        }

        _pieces = pieces;
        _scores = scores;
        _unkId = unkId;
        _byteFallback = byteFallback;
        _vocab = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        for (var i = 0; i < pieces.Length; i++)
        {
            if (!_vocab.TryAdd(pieces[i], i))
            {
                throw new ArgumentException($"the piece '{pieces[i]}' appears twice in the Unigram vocabulary (ids {_vocab[pieces[i]]} and {i})");
            }

            if (pieces[i].Length > 0 && (matchable is null || matchable[i]))
            {
                _trie.Add(pieces[i], i);
            }
        }

        _lookup = _vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _unkScore = unkScore ?? (scores.Min() - UnknownPenalty);
        for (var b = 0; b < 256; b++)
        {
            _byteIds[b] = _vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
        }

        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <inheritdoc />
    public int IdCount => _pieces.Length;

    /// <inheritdoc />
    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _lookup.TryGetValue(token, out id);

    /// <inheritdoc />
    public string? IdToToken(int id) => (uint)id < (uint)_pieces.Length ? _pieces[id] : null;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A character is unknown and the model has no unknown token.</exception>
    public void Tokenize(ReadOnlySpan<char> piece, List<int> output)
    {
        if (piece.IsEmpty)
        {
            return;
        }

        var cacheable = piece.Length < MaxCachedPieceLength;
        if (cacheable && _cacheLookup.TryGetValue(piece, out var cached))
        {
            output.AddRange(cached);
            return;
        }

        var before = output.Count;
        Encode(piece, output);
        if (cacheable && Volatile.Read(ref _cacheCount) < MaxCacheEntries)
        {
            var ids = output.GetRange(before, output.Count - before).ToArray();
            if (_cacheLookup.TryAdd(piece, ids))
            {
                Interlocked.Increment(ref _cacheCount);
            }
        }
    }

    private void Encode(ReadOnlySpan<char> text, List<int> output)
    {
        var n = text.Length;
        var lattice = t_lattice ??= new Lattice();
        lattice.Reset(n);
        var score = lattice.Score;
        var from = lattice.From;
        var ids = lattice.Id;
        var start = 0;
        while (start < n)
        {
            var width = char.IsHighSurrogate(text[start]) && start + 1 < n && char.IsLowSurrogate(text[start + 1]) ? 2 : 1;
            var tillHere = score[start];
            var hasSingle = false;
            var node = 0;
            for (var k = start; k < n; k++)
            {
                node = _trie.Step(node, text[k]);
                if (node < 0)
                {
                    break;
                }

                var id = _trie.ValueAt(node);
                if (id < 0)
                {
                    continue;
                }

                var end = k + 1;
                var candidate = Add(_scores[id], tillHere);
                if (from[end] < 0 || candidate > score[end])
                {
                    score[end] = candidate;
                    from[end] = start;
                    ids[end] = id;
                }

                hasSingle |= end - start == width;
            }

            if (!hasSingle)
            {
                var end = start + width;
                var candidate = Add(_unkScore, tillHere);
                if (from[end] < 0 || candidate > score[end])
                {
                    if (_unkId < 0)
                    {
                        throw new InvalidOperationException($"the text has a character the Unigram vocabulary lacks ('{text.Slice(start, width)}') and the model has no unk_id");
                    }

                    score[end] = candidate;
                    from[end] = start;
                    ids[end] = _unkId;
                }
            }

            start += width;
        }

        // Backtrack, fusing runs of unknown nodes into one token as tokenizers does.
        var path = lattice.Path;
        path.Clear();
        var pos = n;
        var unkEnd = -1;
        while (pos > 0)
        {
            var begin = from[pos];
            if (ids[pos] == _unkId)
            {
                if (unkEnd < 0)
                {
                    unkEnd = pos;
                }
            }
            else
            {
                if (unkEnd >= 0)
                {
                    path.Add((pos, unkEnd, -1));
                    unkEnd = -1;
                }

                path.Add((begin, pos, ids[pos]));
            }

            pos = begin;
        }

        if (unkEnd >= 0)
        {
            path.Add((0, unkEnd, -1));
        }

        for (var i = path.Count - 1; i >= 0; i--)
        {
            var (s, e, id) = path[i];
            if (id >= 0)
            {
                output.Add(id);
            }
            else
            {
                AddUnknown(text[s..e], output);
            }
        }
    }

    private double Add(double score, double tillHere) => _singlePrecision ? (float)score + (float)tillHere : score + tillHere;

    /// <summary>A fused run of unknown characters: its own id if it is a piece, else byte fallback, else the unknown id.</summary>
    private void AddUnknown(ReadOnlySpan<char> run, List<int> output)
    {
        if (_lookup.TryGetValue(run, out var id))
        {
            output.Add(id);
            return;
        }

        if (_byteFallback)
        {
            var bytes = Encoding.UTF8.GetBytes(run.ToArray());
            if (bytes.All(b => _byteIds[b] >= 0))
            {
                foreach (var b in bytes)
                {
                    output.Add(_byteIds[b]);
                }

                return;
            }
        }

        output.Add(_unkId);
    }

    /// <summary>Per-thread Viterbi buffers.</summary>
    private sealed class Lattice
    {
        public double[] Score { get; private set; } = new double[64];

        public int[] From { get; private set; } = new int[64];

        public int[] Id { get; private set; } = new int[64];

        public List<(int Start, int End, int Id)> Path { get; } = [];

        public void Reset(int length)
        {
            if (Score.Length < length + 1)
            {
                var size = Math.Max(length + 1, Score.Length * 2);
                Score = new double[size];
                From = new int[size];
                Id = new int[size];
            }

            Array.Clear(Score, 0, length + 1);
            Array.Fill(From, -1, 0, length + 1);
            From[0] = 0;
        }
    }
}
