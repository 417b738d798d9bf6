using Mlrb.Eval.Tokenization.Components;
using Mlrb.Eval.Tokenization.Models;

namespace Mlrb.Eval.Tokenization;

/// <summary>
/// A tokenizer.json pipeline: added tokens (raw pass), normalizer per segment, added tokens (normalized pass),
/// pre-tokenizer, the model per piece, single-sequence template; and the decoder chain.
/// </summary>
internal sealed class HfTokenizer : ITokenizer
{
    private readonly ITokenizerModel _model;
    private readonly INormalizer? _normalizer;
    private readonly IPreTokenizer? _preTokenizer;
    private readonly IDecoder? _decoder;
    private readonly AddedTokenMatcher _rawMatcher;
    private readonly AddedTokenMatcher _normalizedMatcher;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly SingleTemplate _template;

    [ThreadStatic]
    private static EncodeWorkspace? t_workspace;

    /// <summary>Creates the tokenizer.</summary>
    /// <param name="model">The model (BPE, Unigram, WordPiece).</param>
    /// <param name="addedTokens">The added tokens, with their final ids.</param>
    /// <param name="normalizer">The normalizer, or null.</param>
    /// <param name="preTokenizer">The pre-tokenizer, or null.</param>
    /// <param name="decoder">The decoder, or null (tokens are then joined with spaces).</param>
    /// <param name="template">What <c>add_special_tokens</c> adds.</param>
    /// <param name="specialTokens">BOS/EOS and the model's maximum length.</param>
    public HfTokenizer(
        ITokenizerModel model,
        IReadOnlyList<AddedToken> addedTokens,
        INormalizer? normalizer,
        IPreTokenizer? preTokenizer,
        IDecoder? decoder,
        SingleTemplate template,
        SpecialTokenSettings specialTokens)
    {
        _model = model;
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _decoder = decoder;
        _template = template;
        _addedById = new Dictionary<int, AddedToken>();
        foreach (var token in addedTokens)
        {
            _addedById.TryAdd(token.Id, token);
        }

        _rawMatcher = new AddedTokenMatcher(addedTokens.Where(t => !t.Normalized).Select(t => (t.Content, t)));
        _normalizedMatcher = new AddedTokenMatcher(addedTokens.Where(t => t.Normalized)
            .Select(t => (normalizer is null ? t.Content : normalizer.Normalize(t.Content), t)));
        VocabularySize = Math.Max(model.IdCount, _addedById.Count == 0 ? 0 : _addedById.Keys.Max() + 1);
        BosToken = specialTokens.BosToken;
        BosTokenId = TokenToId(specialTokens.BosToken);
        EosToken = specialTokens.EosToken;
        EosTokenId = TokenToId(specialTokens.EosToken);
        ModelMaxLength = specialTokens.ModelMaxLength;
    }

    /// <inheritdoc />
    public int? BosTokenId { get; }

    /// <inheritdoc />
    public int? EosTokenId { get; }

    /// <inheritdoc />
    public string? BosToken { get; }

    /// <summary>Text of the end-of-sequence token, if any.</summary>
    public string? EosToken { get; }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public int? ModelMaxLength { get; }

    /// <summary>The single-sequence template (for tests and diagnostics).</summary>
    internal SingleTemplate Template => _template;

    /// <inheritdoc />
    public string? IdToToken(int id) => _addedById.TryGetValue(id, out var added) ? added.Content : _model.IdToToken(id);

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ws = t_workspace ??= new EncodeWorkspace();
        var ids = ws.Ids;
        ids.Clear();
        if (addSpecialTokens)
        {
            ids.AddRange(_template.Prefix);
        }

        var raw = ws.RawMatches;
        raw.Clear();
        _rawMatcher.FindMatches(text, raw);
        if (raw.Count == 0)
        {
            EncodeSegment(text, 0, text.Length, ws);
        }
        else
        {
            var matches = raw.ToArray(); // the workspace list is reused by nested calls
            var previous = 0;
            foreach (var (start, end, token) in matches)
            {
                EncodeSegment(text, previous, start - previous, ws);
                ids.Add(token.Id);
                previous = end;
            }

            EncodeSegment(text, previous, text.Length - previous, ws);
        }

        if (addSpecialTokens)
        {
            ids.AddRange(_template.Suffix);
        }

        return ids.ToArray();
    }

    /// <inheritdoc />
    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if (_addedById.TryGetValue(id, out var added))
            {
                if (!(skipSpecialTokens && added.Special))
                {
                    tokens.Add(added.Content);
                }

                continue;
            }

            var token = _model.IdToToken(id);
            if (token is not null)
            {
                tokens.Add(token);
            }
        }

        if (_decoder is null)
        {
            return string.Join(' ', tokens);
        }

        _decoder.Decode(tokens);
        return string.Concat(tokens);
    }

    private int? TokenToId(string? token)
    {
        if (token is null)
        {
            return null;
        }

        foreach (var (id, added) in _addedById)
        {
            if (added.Content == token)
            {
                return id;
            }
        }

        return _model.TryGetId(token, out var modelId) ? modelId : null;
    }

    private void EncodeSegment(string text, int start, int length, EncodeWorkspace ws)
    {
        if (length == 0)
        {
            return;
        }

        var atStart = start == 0;
        if (_normalizer is null)
        {
            if (_normalizedMatcher.IsEmpty)
            {
                PreTokenizeAndModel(new Piece(text, start, length, atStart), ws);
                return;
            }

            SplitNormalized(new Piece(text, start, length, atStart), ws);
            return;
        }

        var normalized = _normalizer.Normalize(start == 0 && length == text.Length ? text : text.Substring(start, length));
        SplitNormalized(Piece.Whole(normalized, atStart), ws);
    }

    private void SplitNormalized(Piece segment, EncodeWorkspace ws)
    {
        var matches = ws.NormalizedMatches;
        matches.Clear();
        _normalizedMatcher.FindMatches(segment.Span, matches);
        if (matches.Count == 0)
        {
            PreTokenizeAndModel(segment, ws);
            return;
        }

        var copy = matches.ToArray();
        var previous = 0;
        foreach (var (start, end, token) in copy)
        {
            if (start > previous)
            {
                PreTokenizeAndModel(new Piece(segment.Text, segment.Start + previous, start - previous, segment.AtTextStart && previous == 0), ws);
            }

            ws.Ids.Add(token.Id);
            previous = end;
        }

        if (segment.Length > previous)
        {
            PreTokenizeAndModel(new Piece(segment.Text, segment.Start + previous, segment.Length - previous, segment.AtTextStart && previous == 0), ws);
        }
    }

    private void PreTokenizeAndModel(Piece segment, EncodeWorkspace ws)
    {
        if (segment.Length == 0)
        {
            return;
        }

        if (_preTokenizer is null)
        {
            _model.Tokenize(segment.Span, ws.Ids);
            return;
        }

        var input = ws.PiecesIn;
        var output = ws.PiecesOut;
        input.Clear();
        output.Clear();
        input.Add(segment);
        _preTokenizer.PreTokenize(input, output);
        foreach (var piece in output)
        {
            _model.Tokenize(piece.Span, ws.Ids);
        }
    }

    private sealed class EncodeWorkspace
    {
        public List<int> Ids { get; } = new(256);

        public List<(int Start, int End, AddedToken Token)> RawMatches { get; } = [];

        public List<(int Start, int End, AddedToken Token)> NormalizedMatches { get; } = [];

        public List<Piece> PiecesIn { get; } = [];

        public List<Piece> PiecesOut { get; } = new(256);
    }
}
