using System.Text;
using Mlrb.Eval.Tokenization.Components;
using Mlrb.Eval.Tokenization.Models;
using static Mlrb.Eval.Tokenization.Loading.SentencePieceReader;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>
/// Builds a tokenizer from a SentencePiece Unigram model (T5's <c>spiece.model</c>) that encodes as SentencePiece itself
/// does: its normalizer (longest charsmap rule, extra whitespace removed, dummy prefix, <c>▁</c> for spaces), Viterbi over
/// normal and user-defined pieces summed in 32-bit floats, unknown runs fused, byte fallback; plus what transformers' T5
/// tokenizers add: control pieces and <c>&lt;extra_id_N&gt;</c> as special tokens and <c>&lt;/s&gt;</c> after the sequence.
/// </summary>
internal static class SentencePieceUnigramBuilder
{
    private const char Meta = '\u2581';

    /// <summary>Builds the tokenizer.</summary>
    /// <param name="proto">The parsed model.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="settings">Settings from tokenizer_config.json (or defaults).</param>
    /// <returns>The tokenizer.</returns>
    public static HfTokenizer Build(SentencePieceProto proto, string path, SpecialTokenSettings settings)
    {
        var cls = settings.TokenizerClass;
        if (cls is not null && !cls.StartsWith("T5Tokenizer", StringComparison.Ordinal) && !cls.StartsWith("MT5Tokenizer", StringComparison.Ordinal)
            && !cls.StartsWith("UMT5Tokenizer", StringComparison.Ordinal))
        {
            throw new TokenizerLoadException(TokenizerConfigReader.ConfigFileName, "tokenizer_class",
                $"'{cls}' with a SentencePiece Unigram model is not supported (T5, mT5 and UMT5 are); load its tokenizer.json instead");
        }

        if (proto.TreatWhitespaceAsSuffix)
        {
            throw new TokenizerLoadException(path, "trainer_spec.treat_whitespace_as_suffix", "is not supported");
        }

        var count = proto.Pieces.Count;
        var extraIds = settings.ExtraIds ?? 100;
        var pieces = new string[count + extraIds];
        var scores = new double[count + extraIds];
        var matchable = new bool[count + extraIds];
        var normal = proto.Pieces.Where(p => p.Type == PieceType.Normal).Select(p => p.Score).DefaultIfEmpty(0f);
        var minScore = normal.Min();
        var maxScore = normal.Max();
        for (var i = 0; i < count; i++)
        {
            var piece = proto.Pieces[i];
            pieces[i] = piece.Piece;
            matchable[i] = piece.Type is PieceType.Normal or PieceType.UserDefined;

            // SentencePiece always prefers a user-defined piece: it scores length(bytes) * max_score - 0.1.
            scores[i] = piece.Type == PieceType.UserDefined ? (float)((Encoding.UTF8.GetByteCount(piece.Piece) * maxScore) - 0.1f) : piece.Score;
        }

        var added = new List<AddedToken>();
        for (var i = 0; i < count; i++)
        {
            var piece = proto.Pieces[i];
            if (piece.Type is PieceType.Control or PieceType.Unknown)
            {
                added.Add(new AddedToken(i, piece.Piece, Special: true, Normalized: false));
            }
            else if (piece.Type == PieceType.UserDefined)
            {
                added.Add(new AddedToken(i, piece.Piece, Special: false, Normalized: false));
            }
        }

        // T5Tokenizer appends <extra_id_{N-1}> ... <extra_id_0> after the SentencePiece vocabulary.
        for (var k = 0; k < extraIds; k++)
        {
            var id = count + k;
            pieces[id] = $"<extra_id_{extraIds - 1 - k}>";
            added.Add(new AddedToken(id, pieces[id], Special: true, Normalized: false));
        }

        var unkId = proto.UnkId >= 0 && proto.UnkId < count ? proto.UnkId : -1;
        UnigramModel model;
        try
        {
            model = new UnigramModel(pieces, scores, unkId, proto.ByteFallback, matchable, (float)(minScore - (float)UnigramModel.UnknownPenalty), singlePrecision: true);
        }
        catch (ArgumentException ex)
        {
            throw new TokenizerLoadException(path, "pieces", ex.Message, ex);
        }

        CharsMap? charsMap;
        try
        {
            charsMap = proto.PrecompiledCharsmap.Length == 0 ? null : CharsMap.Parse(proto.PrecompiledCharsmap);
        }
        catch (FormatException ex)
        {
            throw new TokenizerLoadException(path, "normalizer_spec.precompiled_charsmap", ex.Message, ex);
        }

        var normalizer = new SentencePieceNormalizer(charsMap, proto.AddDummyPrefix, proto.RemoveExtraWhitespaces, proto.EscapeWhitespaces);

        // SentencePiece runs Viterbi over the whole text; cutting before each ▁ gives the same result (and per-word caching)
        // when ▁ is a piece and no piece has ▁ after its first character.
        IPreTokenizer? preTokenizer = null;
        var meta = Meta.ToString();
        if (proto.EscapeWhitespaces && proto.Pieces.Any(p => p.Piece == meta && p.Type == PieceType.Normal)
            && !proto.Pieces.Any(p => p.Type is PieceType.Normal or PieceType.UserDefined && p.Piece.IndexOf(Meta, 1) > 0))
        {
            preTokenizer = new SplitPreTokenizer(new LiteralMatchFinder(meta), SplitBehavior.MergedWithNext, invert: false);
        }

        var eos = PieceOrNull(proto, proto.EosId);
        settings = settings with
        {
            EosToken = settings.EosToken ?? eos,
            UnkToken = settings.UnkToken ?? PieceOrNull(proto, proto.UnkId),
        };
        var lookup = new TokenLookup(model, added);
        var eosId = settings.EosToken is { } e ? lookup.Find(e) : null;
        var template = eosId is { } id2 ? new SingleTemplate([], [id2]) : SingleTemplate.None;
        var decoder = new MetaspaceDecoder(Meta, proto.AddDummyPrefix ? PrependScheme.Always : PrependScheme.Never);
        return new HfTokenizer(model, added, normalizer, preTokenizer, decoder, template, settings);
    }

    private static string? PieceOrNull(SentencePieceProto proto, int id) => id >= 0 && id < proto.Pieces.Count ? proto.Pieces[id].Piece : null;
}
