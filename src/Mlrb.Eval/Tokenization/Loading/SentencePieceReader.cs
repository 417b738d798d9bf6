using System.Text;
using Mlrb.Eval.Tokenization.Bpe;
using Mlrb.Eval.Tokenization.Components;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>
/// Builds a tokenizer from a SentencePiece <c>tokenizer.model</c> of type BPE, as transformers' <c>LlamaConverter</c> does:
/// the normalizer <c>Prepend("▁")</c> + <c>Replace(" ", "▁")</c> (legacy) or a Metaspace pre-tokenizer (<c>legacy=false</c>),
/// merges ranked by piece score, <c>&lt;0xHH&gt;</c> byte fallback, and the matching decoder.
/// </summary>
internal static class SentencePieceReader
{
    private const char Meta = '\u2581';

    /// <summary>Reads a file.</summary>
    /// <param name="path">The <c>tokenizer.model</c> file.</param>
    /// <param name="settings">Settings from tokenizer_config.json (or defaults).</param>
    /// <returns>The tokenizer.</returns>
    public static HfTokenizer Read(string path, SpecialTokenSettings settings)
    {
        byte[] bytes;
        using (var stream = TokenizerLoader.OpenBounded(path, Files.BoundedFile.TokenizerLimit))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        var proto = Parse(bytes, path);
        if (proto.ModelType == 1)
        {
            return SentencePieceUnigramBuilder.Build(proto, path, settings);
        }

        if (proto.ModelType != 2)
        {
            var name = proto.ModelType switch { 3 => "Word", 4 => "Char", _ => proto.ModelType.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            throw new TokenizerLoadException(path, "trainer_spec.model_type", $"SentencePiece model type '{name}' is not supported; Mlrb implements SentencePiece BPE and Unigram");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < proto.Pieces.Count; i++)
        {
            vocab.TryAdd(proto.Pieces[i].Piece, i);
        }

        var merges = BuildMerges(proto.Pieces, vocab);
        var unk = proto.UnkId >= 0 && proto.UnkId < proto.Pieces.Count ? proto.Pieces[proto.UnkId].Piece : null;
        var model = new BpeModel(vocab, merges, new BpeOptions { UnkToken = unk, FuseUnk = true, ByteFallback = proto.ByteFallback });

        var added = new List<AddedToken>();
        for (var i = 0; i < proto.Pieces.Count; i++)
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

        settings = settings with
        {
            BosToken = settings.BosToken ?? PieceOrNull(proto, proto.BosId),
            EosToken = settings.EosToken ?? PieceOrNull(proto, proto.EosId),
            UnkToken = settings.UnkToken ?? unk,
            TokenizerClass = settings.TokenizerClass ?? "LlamaTokenizer",
        };

        var addPrefix = settings.AddPrefixSpace ?? proto.AddDummyPrefix;
        var legacy = settings.Legacy ?? true;
        var steps = new List<INormalizer>();
        if (proto.NormalizerName.Contains("nfkc", StringComparison.OrdinalIgnoreCase))
        {
            steps.Add(new UnicodeNormalizer(NormalizationForm.FormKC));
        }

        if (proto.RemoveExtraWhitespaces)
        {
            steps.Add(new StripNormalizer(true, true));
            steps.Add(new ReplaceNormalizer(" {2,}", isRegex: true, " "));
        }

        IPreTokenizer? preTokenizer = null;
        if (legacy)
        {
            if (addPrefix)
            {
                steps.Add(new PrependNormalizer(Meta.ToString()));
            }

            if (proto.EscapeWhitespaces)
            {
                steps.Add(new ReplaceNormalizer(" ", isRegex: false, Meta.ToString()));
            }
        }
        else
        {
            preTokenizer = new MetaspacePreTokenizer(Meta, addPrefix ? PrependScheme.First : PrependScheme.Never, split: false);
        }

        INormalizer? normalizer = steps.Count == 0 ? null : steps.Count == 1 ? steps[0] : new SequenceNormalizer([.. steps]);
        var decoders = new List<IDecoder>
        {
            new ReplaceDecoder(new ReplaceNormalizer(Meta.ToString(), isRegex: false, " ")),
            new ByteFallbackDecoder(),
            new FuseDecoder(),
        };
        if (addPrefix)
        {
            decoders.Add(new StripDecoder(' ', 1, 0));
        }

        var lookup = new TokenLookup(model, added);
        var template = TokenizerJsonReader.ApplyConfigTemplate(SingleTemplate.None, settings, lookup, path);
        return new HfTokenizer(model, added, normalizer, preTokenizer, new SequenceDecoder([.. decoders]), template, settings);
    }

    private static string? PieceOrNull(SentencePieceProto proto, int id) => id >= 0 && id < proto.Pieces.Count ? proto.Pieces[id].Piece : null;

    /// <summary>
    /// SentencePiece BPE merges the adjacent pair whose concatenation is the highest-scoring piece (leftmost on ties):
    /// every split of a normal piece into two pieces is a merge, ranked by the piece's score.
    /// </summary>
    private static Dictionary<long, long> BuildMerges(List<SentencePieceEntry> pieces, Dictionary<string, int> vocab)
    {
        static bool Mergeable(PieceType t) => t is PieceType.Normal or PieceType.UserDefined or PieceType.Unused;

        var ranks = pieces.Select(p => p.Score).Distinct().OrderByDescending(s => s).Select((score, rank) => (score, rank)).ToDictionary(x => x.score, x => x.rank);
        var lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        var merges = PairKeyComparer.CreateTable();
        for (var id = 0; id < pieces.Count; id++)
        {
            var entry = pieces[id];
            if (!Mergeable(entry.Type) || vocab[entry.Piece] != id)
            {
                continue;
            }

            var text = entry.Piece.AsSpan();
            var split = 0;
            while (true)
            {
                Rune.DecodeFromUtf16(text[split..], out _, out var width);
                split += width;
                if (split >= text.Length)
                {
                    break;
                }

                if (lookup.TryGetValue(text[..split], out var left) && Mergeable(pieces[left].Type)
                    && lookup.TryGetValue(text[split..], out var right) && Mergeable(pieces[right].Type))
                {
                    merges[BpeModel.PairKey(left, right)] = BpeModel.MergeValue(ranks[entry.Score], id);
                }
            }
        }

        return merges;
    }

    private static SentencePieceProto Parse(byte[] data, string path)
    {
        var proto = new SentencePieceProto();
        var reader = new ProtobufReader(data, path);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1 when reader.WireType == 2:
                    proto.Pieces.Add(ParsePiece(reader.ReadBytes(), path, proto.Pieces.Count));
                    break;
                case 2 when reader.WireType == 2:
                    ParseTrainerSpec(reader.ReadBytes(), path, proto);
                    break;
                case 3 when reader.WireType == 2:
                    ParseNormalizerSpec(reader.ReadBytes(), path, proto);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (proto.Pieces.Count == 0)
        {
            throw new TokenizerLoadException(path, "pieces", "the SentencePiece model has no pieces");
        }

        return proto;
    }

    private static SentencePieceEntry ParsePiece(ReadOnlySpan<byte> data, string path, int index)
    {
        string? piece = null;
        float score = 0;
        var type = PieceType.Normal;
        var reader = new ProtobufReader(data, path);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1 when reader.WireType == 2:
                    piece = reader.ReadString();
                    break;
                case 2 when reader.WireType == 5:
                    score = reader.ReadFloat();
                    break;
                case 3 when reader.WireType == 0:
                    type = (PieceType)reader.ReadVarint();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new SentencePieceEntry(piece ?? throw new TokenizerLoadException(path, $"pieces[{index}].piece", "is missing"), score, type);
    }

    private static void ParseTrainerSpec(ReadOnlySpan<byte> data, string path, SentencePieceProto proto)
    {
        var reader = new ProtobufReader(data, path);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 3 when reader.WireType == 0:
                    proto.ModelType = (int)reader.ReadVarint();
                    break;
                case 35 when reader.WireType == 0:
                    proto.ByteFallback = reader.ReadVarint() != 0;
                    break;
                case 40 when reader.WireType == 0:
                    proto.UnkId = (int)(long)reader.ReadVarint();
                    break;
                case 41 when reader.WireType == 0:
                    proto.BosId = (int)(long)reader.ReadVarint();
                    break;
                case 42 when reader.WireType == 0:
                    proto.EosId = (int)(long)reader.ReadVarint();
                    break;
                case 24 when reader.WireType == 0:
                    proto.TreatWhitespaceAsSuffix = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static void ParseNormalizerSpec(ReadOnlySpan<byte> data, string path, SentencePieceProto proto)
    {
        var reader = new ProtobufReader(data, path);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1 when reader.WireType == 2:
                    proto.NormalizerName = reader.ReadString();
                    break;
                case 2 when reader.WireType == 2:
                    proto.PrecompiledCharsmap = reader.ReadBytes().ToArray();
                    break;
                case 3 when reader.WireType == 0:
                    proto.AddDummyPrefix = reader.ReadVarint() != 0;
                    break;
                case 4 when reader.WireType == 0:
                    proto.RemoveExtraWhitespaces = reader.ReadVarint() != 0;
                    break;
                case 5 when reader.WireType == 0:
                    proto.EscapeWhitespaces = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    internal enum PieceType
    {
        Normal = 1,
        Unknown = 2,
        Control = 3,
        UserDefined = 4,
        Unused = 5,
        Byte = 6,
    }

    internal sealed record SentencePieceEntry(string Piece, float Score, PieceType Type);

    internal sealed class SentencePieceProto
    {
        public List<SentencePieceEntry> Pieces { get; } = [];

        public int ModelType { get; set; } = 1;

        public bool ByteFallback { get; set; }

        public int UnkId { get; set; }

        public int BosId { get; set; } = 1;

        public int EosId { get; set; } = 2;

        public string NormalizerName { get; set; } = string.Empty;

        public bool AddDummyPrefix { get; set; } = true;

        public bool RemoveExtraWhitespaces { get; set; } = true;

        public bool EscapeWhitespaces { get; set; } = true;

        public byte[] PrecompiledCharsmap { get; set; } = [];

        public bool TreatWhitespaceAsSuffix { get; set; }
    }
}
