using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Mlrb.Eval.Tokenization.Bpe;

/// <summary>
/// The BPE model of tokenizers (<c>models/bpe</c>): per-piece initial symbols, merges by rank (leftmost first on ties),
/// unknown handling, byte fallback; with a per-piece result cache.
/// </summary>
internal sealed class BpeModel : Models.ITokenizerModel
{
    private const int MaxCachedPieceLength = 256;
    private const int MaxCacheEntries = 1 << 18;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabLookup;
    private readonly string?[] _idToToken;
    private readonly Dictionary<long, long> _merges;
    private readonly BpeOptions _options;
    private readonly int _unkId;
    private readonly int[] _byteFallbackIds;
    private readonly int[] _byteLevelIds;
    private readonly bool _plainByteLevel;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private int _cacheCount;

    [ThreadStatic]
    private static BpeWorkspace? t_workspace;

    /// <summary>Creates the model.</summary>
    /// <param name="vocab">Token string to id.</param>
    /// <param name="merges">Merges keyed by <see cref="PairKey"/>, valued by <see cref="MergeValue"/>.</param>
    /// <param name="options">The flags.</param>
    public BpeModel(Dictionary<string, int> vocab, Dictionary<long, long> merges, BpeOptions options)
    {
        _vocab = vocab;
        _vocabLookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _merges = merges;
        _options = options;
        var maxId = vocab.Count == 0 ? -1 : vocab.Values.Max();
        _idToToken = new string?[maxId + 1];
        foreach (var (token, id) in vocab)
        {
            _idToToken[id] = token;
        }

        _unkId = options.UnkToken is not null && vocab.TryGetValue(options.UnkToken, out var unk) ? unk : -1;
        _byteFallbackIds = new int[256];
        _byteLevelIds = new int[256];
        for (var b = 0; b < 256; b++)
        {
            _byteFallbackIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
            _byteLevelIds[b] = vocab.TryGetValue(Components.ByteLevelTable.ByteToChar[b].ToString(), out id) ? id : -1;
        }

        _plainByteLevel = options.MapBytes && string.IsNullOrEmpty(options.ContinuingSubwordPrefix) && string.IsNullOrEmpty(options.EndOfWordSuffix);
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The flags.</summary>
    public BpeOptions Options => _options;

    /// <summary>The vocabulary (token string to id).</summary>
    public IReadOnlyDictionary<string, int> Vocabulary => _vocab;

    /// <summary>One more than the largest id.</summary>
    public int IdCount => _idToToken.Length;

    /// <summary>Packs a pair of ids into a merge key.</summary>
    /// <param name="left">The left id.</param>
    /// <param name="right">The right id.</param>
    /// <returns>The key.</returns>
    public static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>Packs a merge's rank and result id.</summary>
    /// <param name="rank">The rank (lower merges first).</param>
    /// <param name="newId">The id of the merged token.</param>
    /// <returns>The value.</returns>
    public static long MergeValue(int rank, int newId) => ((long)rank << 32) | (uint)newId;

    /// <summary>Looks a token string up.</summary>
    /// <param name="token">The token.</param>
    /// <param name="id">Its id.</param>
    /// <returns>Whether it is in the vocabulary.</returns>
    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _vocabLookup.TryGetValue(token, out id);

    /// <summary>The token string of an id, or null.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The token, or null.</returns>
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <summary>Tokenizes one pre-token piece and appends its ids.</summary>
    /// <param name="piece">The piece (raw text; byte mapping is applied here when <see cref="BpeOptions.MapBytes"/>).</param>
    /// <param name="output">Receives the ids.</param>
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

        var ws = t_workspace ??= new BpeWorkspace();
        var before = output.Count;
        Compute(piece, ws, output);
        // ConcurrentDictionary.Count takes every lock, so the size is tracked separately.
        if (cacheable && Volatile.Read(ref _cacheCount) < MaxCacheEntries)
        {
            var ids = new int[output.Count - before];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = output[before + i];
            }

            if (_cacheLookup.TryAdd(piece, ids))
            {
                Interlocked.Increment(ref _cacheCount);
            }
        }
    }

    private void Compute(ReadOnlySpan<char> piece, BpeWorkspace ws, List<int> output)
    {
        ws.Symbols.Clear();
        if (_options.MapBytes)
        {
            var byteCount = Encoding.UTF8.GetByteCount(piece);
            var rented = ArrayPool<byte>.Shared.Rent(byteCount);
            var chars = ArrayPool<char>.Shared.Rent(byteCount);
            try
            {
                var bytes = rented.AsSpan(0, Encoding.UTF8.GetBytes(piece, rented));
                var map = Components.ByteLevelTable.ByteToChar;
                for (var i = 0; i < bytes.Length; i++)
                {
                    chars[i] = map[bytes[i]];
                }

                var mapped = chars.AsSpan(0, bytes.Length);
                if (_options.IgnoreMerges && _vocabLookup.TryGetValue(mapped, out var whole))
                {
                    output.Add(whole);
                    return;
                }

                if (_plainByteLevel)
                {
                    var pendingUnk = false;
                    foreach (var b in bytes)
                    {
                        var id = _byteLevelIds[b];
                        if (id >= 0)
                        {
                            FlushUnk(ws, ref pendingUnk);
                            ws.Symbols.Add(id);
                        }
                        else
                        {
                            AddUnknown(ws, ref pendingUnk);
                        }
                    }

                    FlushUnk(ws, ref pendingUnk);
                }
                else
                {
                    InitialSymbols(mapped, ws);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
                ArrayPool<char>.Shared.Return(chars);
            }
        }
        else
        {
            if (_options.IgnoreMerges && _vocabLookup.TryGetValue(piece, out var whole))
            {
                output.Add(whole);
                return;
            }

            InitialSymbols(piece, ws);
        }

        MergeAll(ws, output);
    }

    private void InitialSymbols(ReadOnlySpan<char> text, BpeWorkspace ws)
    {
        var prefix = _options.ContinuingSubwordPrefix ?? string.Empty;
        var suffix = _options.EndOfWordSuffix ?? string.Empty;
        var pendingUnk = false;
        Span<char> key = stackalloc char[64];
        Span<byte> utf8 = stackalloc byte[8];
        var i = 0;
        while (i < text.Length)
        {
            var width = Rune.DecodeFromUtf16(text[i..], out _, out var consumed) == OperationStatus.Done ? consumed : 1;
            var isFirst = i == 0;
            var isLast = i + width >= text.Length;
            var scalar = text.Slice(i, width);
            i += width;

            scoped ReadOnlySpan<char> lookup = scalar;
            var extra = (isFirst ? 0 : prefix.Length) + (isLast ? suffix.Length : 0);
            if (extra > 0)
            {
                var buffer = extra + width <= key.Length ? key : new char[extra + width];
                var n = 0;
                if (!isFirst)
                {
                    prefix.AsSpan().CopyTo(buffer);
                    n += prefix.Length;
                }

                scalar.CopyTo(buffer[n..]);
                n += width;
                if (isLast)
                {
                    suffix.AsSpan().CopyTo(buffer[n..]);
                    n += suffix.Length;
                }

                lookup = buffer[..n];
            }

            if (_vocabLookup.TryGetValue(lookup, out var id))
            {
                FlushUnk(ws, ref pendingUnk);
                ws.Symbols.Add(id);
                continue;
            }

            if (_options.ByteFallback && TryAddByteFallback(lookup, utf8, ws))
            {
                continue; // tokenizers adds byte tokens without flushing a pending unknown
            }

            AddUnknown(ws, ref pendingUnk);
        }

        FlushUnk(ws, ref pendingUnk);
    }

    private bool TryAddByteFallback(ReadOnlySpan<char> lookup, Span<byte> scratch, BpeWorkspace ws)
    {
        var byteCount = Encoding.UTF8.GetByteCount(lookup);
        var bytes = byteCount <= scratch.Length ? scratch[..byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(lookup, bytes);
        foreach (var b in bytes)
        {
            if (_byteFallbackIds[b] < 0)
            {
                return false;
            }
        }

        foreach (var b in bytes)
        {
            ws.Symbols.Add(_byteFallbackIds[b]);
        }

        return true;
    }

    private void AddUnknown(BpeWorkspace ws, ref bool pendingUnk)
    {
        if (_unkId < 0)
        {
            return; // no unk token: the character is dropped
        }

        if (pendingUnk && !_options.FuseUnk)
        {
            ws.Symbols.Add(_unkId);
        }

        pendingUnk = true;
    }

    private void FlushUnk(BpeWorkspace ws, ref bool pendingUnk)
    {
        if (pendingUnk)
        {
            ws.Symbols.Add(_unkId);
            pendingUnk = false;
        }
    }

    private void MergeAll(BpeWorkspace ws, List<int> output)
    {
        var ids = ws.Symbols;
        var count = ids.Count;
        if (count == 0)
        {
            return; // every character was unknown and dropped
        }

        if (count == 1)
        {
            output.Add(ids[0]);
            return;
        }

        ws.Prepare(count);
        var prev = ws.Prev;
        var next = ws.Next;
        var alive = ws.Alive;
        var queue = ws.Queue;
        queue.Clear();
        for (var i = 0; i < count; i++)
        {
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
            alive[i] = true;
        }

        for (var i = 0; i + 1 < count; i++)
        {
            if (_merges.TryGetValue(PairKey(ids[i], ids[i + 1]), out var merge))
            {
                queue.Enqueue(Element(i, (int)merge), Priority((int)(merge >> 32), i));
            }
        }

        while (queue.TryDequeue(out var element, out _))
        {
            var pos = (int)(element >> 32);
            var newId = (int)element;
            if (!alive[pos] || next[pos] < 0)
            {
                continue;
            }

            var right = next[pos];
            if (!_merges.TryGetValue(PairKey(ids[pos], ids[right]), out var current) || (int)current != newId)
            {
                continue;
            }

            ids[pos] = newId;
            alive[right] = false;
            next[pos] = next[right];
            if (next[right] >= 0)
            {
                prev[next[right]] = pos;
            }

            if (prev[pos] >= 0 && _merges.TryGetValue(PairKey(ids[prev[pos]], newId), out var left))
            {
                queue.Enqueue(Element(prev[pos], (int)left), Priority((int)(left >> 32), prev[pos]));
            }

            if (next[pos] >= 0 && _merges.TryGetValue(PairKey(newId, ids[next[pos]]), out var after))
            {
                queue.Enqueue(Element(pos, (int)after), Priority((int)(after >> 32), pos));
            }
        }

        for (var i = 0; i >= 0; i = next[i])
        {
            output.Add(ids[i]);
        }
    }

    private static long Element(int pos, int newId) => ((long)pos << 32) | (uint)newId;

    private static long Priority(int rank, int pos) => ((long)rank << 32) | (uint)pos;
}
