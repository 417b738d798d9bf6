using System.Globalization;
using System.Text;
using System.Text.Json;
using Mlrb.Eval.Tokenization.Bpe;
using Mlrb.Eval.Tokenization.Components;
using Mlrb.Eval.Tokenization.Models;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>Builds an <see cref="HfTokenizer"/> from a Hugging Face <c>tokenizer.json</c> and the settings of <c>tokenizer_config.json</c>.</summary>
internal sealed class TokenizerJsonReader
{
    /// <summary>The <c>Whitespace</c> pre-tokenizer's pattern, <c>\w+|[^\w\s]+</c>.</summary>
    private static readonly Lazy<IMatchFinder> WhitespacePattern = new(() => Patterns.CodePointRegex.Create(@"\w+|[^\w\s]+"));

    private readonly JsonFields _f;
    private readonly SpecialTokenSettings _settings;

    private TokenizerJsonReader(string file, SpecialTokenSettings settings)
    {
        _f = new JsonFields(file);
        _settings = settings;
    }

    /// <summary>Reads a tokenizer.json stream.</summary>
    /// <param name="stream">The JSON.</param>
    /// <param name="file">The file name used in messages.</param>
    /// <param name="settings">Settings from tokenizer_config.json (or defaults).</param>
    /// <returns>The tokenizer.</returns>
    public static HfTokenizer Read(Stream stream, string file, SpecialTokenSettings settings)
    {
        var reader = new TokenizerJsonReader(file, settings);
        using var doc = reader._f.Parse(stream);
        return reader.Build(doc.RootElement);
    }

    private HfTokenizer Build(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw _f.Error(string.Empty, "expected a JSON object at the top level");
        }

        var normalizer = ReadNormalizer(JsonFields.Optional(root, "normalizer"), "normalizer");
        var preTokenizer = ReadPreTokenizer(JsonFields.Optional(root, "pre_tokenizer"), "pre_tokenizer", isLast: true);
        var mapsBytes = preTokenizer?.MapsBytes ?? false;
        var model = ReadModel(_f.Required(root, "model", string.Empty), mapsBytes);
        if (model.IdCount == 0)
        {
            // An empty vocabulary would tokenize every text to nothing and score it as certain.
            throw _f.Error("model.vocab", "the vocabulary is empty; this tokenizer cannot encode any text");
        }

        var added = ReadAddedTokens(JsonFields.Optional(root, "added_tokens"), model);
        var decoder = ReadDecoder(JsonFields.Optional(root, "decoder"), "decoder");
        var lookup = new TokenLookup(model, added);
        var template = ReadPostProcessor(JsonFields.Optional(root, "post_processor"), "post_processor", lookup);
        var settings = WithDefaultSpecialTokens(_settings, lookup);
        template = ApplyConfigTemplate(template, settings, lookup, _f.File);
        return new HfTokenizer(model, added, normalizer, preTokenizer, decoder, template, settings);
    }

    /// <summary>
    /// BOS/EOS when the configs name none: <c>&lt;|endoftext|&gt;</c> (GPT-2-style fast-tokenizer defaults) when present,
    /// else <c>&lt;s&gt;</c>/<c>&lt;/s&gt;</c> when present.
    /// </summary>
    /// <param name="settings">The configured settings.</param>
    /// <param name="lookup">The vocabulary.</param>
    /// <returns>The settings with defaults filled in.</returns>
    internal static SpecialTokenSettings WithDefaultSpecialTokens(SpecialTokenSettings settings, TokenLookup lookup)
    {
        if (settings.BosToken is not null || settings.EosToken is not null)
        {
            return settings;
        }

        if (lookup.Find("<|endoftext|>") is not null)
        {
            return settings with { BosToken = "<|endoftext|>", EosToken = "<|endoftext|>" };
        }

        return settings with
        {
            BosToken = lookup.Find("<s>") is not null ? "<s>" : null,
            EosToken = lookup.Find("</s>") is not null ? "</s>" : null,
        };
    }

    /// <summary>
    /// transformers' Llama-style fast tokenizers rebuild the template from <c>add_bos_token</c> (default true) and
    /// <c>add_eos_token</c> (default false); other classes do so only when a flag is stated as true.
    /// </summary>
    /// <param name="template">The template from the file.</param>
    /// <param name="settings">The configured settings.</param>
    /// <param name="lookup">The vocabulary.</param>
    /// <param name="file">The file name used in messages.</param>
    /// <returns>The template to use.</returns>
    internal static SingleTemplate ApplyConfigTemplate(SingleTemplate template, SpecialTokenSettings settings, TokenLookup lookup, string file)
    {
        var llamaStyle = settings.TokenizerClass is { } cls
            && (cls.StartsWith("LlamaTokenizer", StringComparison.Ordinal) || cls.StartsWith("CodeLlamaTokenizer", StringComparison.Ordinal)
                || cls.StartsWith("GemmaTokenizer", StringComparison.Ordinal));
        bool addBos, addEos;
        if (llamaStyle)
        {
            addBos = settings.AddBosToken ?? true;
            addEos = settings.AddEosToken ?? false;
        }
        else if (settings.AddBosToken == true || settings.AddEosToken == true)
        {
            addBos = settings.AddBosToken ?? false;
            addEos = settings.AddEosToken ?? false;
        }
        else
        {
            return template;
        }

        return new SingleTemplate(
            addBos ? [RequireToken(settings.BosToken, "bos_token", lookup, file)] : [],
            addEos ? [RequireToken(settings.EosToken, "eos_token", lookup, file)] : []);
    }

    private static int RequireToken(string? token, string field, TokenLookup lookup, string file)
    {
        if (token is null)
        {
            throw new TokenizerLoadException(TokenizerConfigReader.ConfigFileName, field, $"is needed to add it ({field.Replace("token", "add_token", StringComparison.Ordinal)}), but is not set");
        }

        return lookup.Find(token) ?? throw new TokenizerLoadException(TokenizerConfigReader.ConfigFileName, field, $"'{token}' is not in the vocabulary of {file}");
    }

    private ITokenizerModel ReadModel(JsonElement model, bool mapsBytes)
    {
        const string path = "model";
        var type = _f.OptionalString(model, "type", path);
        if (type is null)
        {
            // Files written before models were tagged: tell them apart by their fields, as tokenizers does.
            type = JsonFields.Optional(model, "merges") is not null ? "BPE"
                : JsonFields.Optional(model, "vocab") is { ValueKind: JsonValueKind.Array } ? "Unigram"
                : JsonFields.Optional(model, "max_input_chars_per_word") is not null ? "WordPiece"
                : null;
        }

        ITokenizerModel result = type switch
        {
            "BPE" => ReadBpe(model, mapsBytes),
            "Unigram" => new UnigramJsonReader(_f).Read(model),
            "WordPiece" => new WordPieceJsonReader(_f).Read(model),
            "WordLevel" => new WordPieceJsonReader(_f).ReadWordLevel(model),
            _ => throw _f.Error("model.type", $"tokenizer model '{type ?? "(missing)"}' is not supported (supported: BPE, Unigram, WordPiece, WordLevel)"),
        };

        return mapsBytes && result is not BpeModel ? new ByteMappedModel(result) : result;
    }

    private BpeModel ReadBpe(JsonElement model, bool mapsBytes)
    {
        const string path = "model";

        var dropout = JsonFields.Optional(model, "dropout");
        if (dropout is { ValueKind: JsonValueKind.Number } d && d.GetDouble() != 0.0)
        {
            throw _f.Error("model.dropout", "BPE dropout is a training feature; inference files have null");
        }

        var vocabElement = _f.Required(model, "vocab", path);
        if (vocabElement.ValueKind != JsonValueKind.Object)
        {
            throw _f.Error("model.vocab", $"expected an object of token -> id, found {vocabElement.ValueKind}");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in vocabElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id) || id < 0)
            {
                throw _f.Error("model.vocab", $"token '{property.Name}' has id {property.Value}, expected a non-negative integer");
            }

            vocab[property.Name] = id;
        }

        var options = new BpeOptions
        {
            UnkToken = _f.OptionalString(model, "unk_token", path),
            FuseUnk = _f.OptionalBool(model, "fuse_unk", path) ?? false,
            ByteFallback = _f.OptionalBool(model, "byte_fallback", path) ?? false,
            IgnoreMerges = _f.OptionalBool(model, "ignore_merges", path) ?? false,
            ContinuingSubwordPrefix = _f.OptionalString(model, "continuing_subword_prefix", path),
            EndOfWordSuffix = _f.OptionalString(model, "end_of_word_suffix", path),
            MapBytes = mapsBytes,
        };
        var merges = ReadMerges(_f.Required(model, "merges", path), vocab, options.ContinuingSubwordPrefix);
        return new BpeModel(vocab, merges, options);
    }

    private Dictionary<long, long> ReadMerges(JsonElement mergesElement, Dictionary<string, int> vocab, string? prefix)
    {
        if (mergesElement.ValueKind != JsonValueKind.Array)
        {
            throw _f.Error("model.merges", $"expected an array, found {mergesElement.ValueKind}");
        }

        var builder = new MergeTableBuilder(vocab, prefix, _f.File, "model.merges");
        var index = 0;
        var rank = 0;
        foreach (var item in mergesElement.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                var line = item.GetString()!;
                if (line.StartsWith("#version", StringComparison.Ordinal))
                {
                    index++;
                    continue;
                }

                builder.AddLine(line, rank++);
            }
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() == 2
                     && item[0].ValueKind == JsonValueKind.String && item[1].ValueKind == JsonValueKind.String)
            {
                builder.Add(item[0].GetString()!, item[1].GetString()!, rank++);
            }
            else
            {
                throw _f.Error($"model.merges[{index}]", $"expected \"a b\" or [\"a\", \"b\"], found {item}");
            }

            index++;
        }

        return builder.Merges;
    }

    private List<AddedToken> ReadAddedTokens(JsonElement? element, ITokenizerModel model)
    {
        var result = new List<AddedToken>();
        if (element is null)
        {
            return result;
        }

        if (element.Value.ValueKind != JsonValueKind.Array)
        {
            throw _f.Error("added_tokens", $"expected an array, found {element.Value.ValueKind}");
        }

        var i = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var path = $"added_tokens[{i++}]";
            var content = _f.RequiredString(item, "content", path);
            var fileId = _f.RequiredInt(item, "id", path);
            var special = _f.OptionalBool(item, "special", path) ?? false;

            // tokenizers uses the model's id when the content is in the model vocabulary.
            var id = model.TryGetId(content, out var modelId) ? modelId : fileId;
            result.Add(new AddedToken(
                id,
                content,
                special,
                _f.OptionalBool(item, "single_word", path) ?? false,
                _f.OptionalBool(item, "lstrip", path) ?? false,
                _f.OptionalBool(item, "rstrip", path) ?? false,
                _f.OptionalBool(item, "normalized", path) ?? !special));
        }

        return result;
    }

    private INormalizer? ReadNormalizer(JsonElement? element, string path)
    {
        if (element is null)
        {
            return null;
        }

        var e = element.Value;
        var type = _f.RequiredString(e, "type", path);
        switch (type)
        {
            case "Sequence":
                return new SequenceNormalizer(ReadArray(e, "normalizers", path, (item, p) => ReadNormalizer(item, p)
                    ?? throw _f.Error(p, "null inside a Sequence")));
            case "Prepend":
                return new PrependNormalizer(_f.RequiredString(e, "prepend", path));
            case "Replace":
                return ReadReplace(e, path);
            case "NFC":
                return new UnicodeNormalizer(NormalizationForm.FormC);
            case "NFD":
                return new UnicodeNormalizer(NormalizationForm.FormD);
            case "NFKC":
                return new UnicodeNormalizer(NormalizationForm.FormKC);
            case "NFKD":
                return new UnicodeNormalizer(NormalizationForm.FormKD);
            case "Lowercase":
                return new LowercaseNormalizer();
            case "Strip":
                return new StripNormalizer(_f.OptionalBool(e, "strip_left", path) ?? false, _f.OptionalBool(e, "strip_right", path) ?? false);
            case "StripAccents":
                return new StripAccentsNormalizer();
            case "Precompiled":
                return ReadPrecompiled(e, path);
            case "BertNormalizer":
                return new BertNormalizer(
                    _f.OptionalBool(e, "clean_text", path) ?? true,
                    _f.OptionalBool(e, "handle_chinese_chars", path) ?? true,
                    _f.OptionalBool(e, "strip_accents", path),
                    _f.OptionalBool(e, "lowercase", path) ?? true);
            case "Nmt":
                return new NmtNormalizer();
            default:
                throw _f.Error(JsonFields.Join(path, "type"), $"normalizer '{type}' is not supported (supported: Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip, StripAccents, Precompiled, BertNormalizer, Nmt)");
        }
    }

    private INormalizer? ReadPrecompiled(JsonElement e, string path)
    {
        var field = JsonFields.Join(path, "precompiled_charsmap");
        var charsmap = JsonFields.Optional(e, "precompiled_charsmap");
        byte[] bytes;
        if (charsmap is { ValueKind: JsonValueKind.String } text)
        {
            try
            {
                bytes = Convert.FromBase64String(text.GetString()!);
            }
            catch (FormatException ex)
            {
                throw new TokenizerLoadException(_f.File, field, "is not valid base64", ex);
            }
        }
        else if (charsmap is { ValueKind: JsonValueKind.Array } array)
        {
            bytes = array.EnumerateArray().Select(b => b.TryGetByte(out var value) ? value : throw _f.Error(field, "expected bytes (0-255)")).ToArray();
        }
        else if (charsmap is null)
        {
            bytes = [];
        }
        else
        {
            throw _f.Error(field, $"expected a base64 string, found {charsmap.Value.ValueKind}");
        }

        if (bytes.Length == 0)
        {
            return new SequenceNormalizer([]); // no rules: the identity
        }

        try
        {
            return new PrecompiledNormalizer(CharsMap.Parse(bytes));
        }
        catch (FormatException ex)
        {
            throw new TokenizerLoadException(_f.File, field, ex.Message, ex);
        }
    }

    private ReplaceNormalizer ReadReplace(JsonElement e, string path)
    {
        var (pattern, isRegex) = ReadPattern(e, path);
        var content = _f.RequiredString(e, "content", path);
        try
        {
            return new ReplaceNormalizer(pattern, isRegex, content);
        }
        catch (ArgumentException ex)
        {
            throw new TokenizerLoadException(_f.File, JsonFields.Join(path, "pattern"), $"the regex is not supported: {ex.Message}", ex);
        }
    }

    private (string Pattern, bool IsRegex) ReadPattern(JsonElement e, string path)
    {
        var pattern = _f.Required(e, "pattern", path);
        var patternPath = JsonFields.Join(path, "pattern");
        if (pattern.ValueKind == JsonValueKind.Object)
        {
            if (_f.OptionalString(pattern, "String", patternPath) is { } literal)
            {
                return (literal, false);
            }

            if (_f.OptionalString(pattern, "Regex", patternPath) is { } regex)
            {
                return (regex, true);
            }
        }

        throw _f.Error(patternPath, "expected {\"String\": ...} or {\"Regex\": ...}");
    }

    private IPreTokenizer? ReadPreTokenizer(JsonElement? element, string path, bool isLast)
    {
        if (element is null)
        {
            return null;
        }

        var e = element.Value;
        var type = _f.RequiredString(e, "type", path);
        switch (type)
        {
            case "Sequence":
            {
                var items = _f.Required(e, "pretokenizers", path);
                if (items.ValueKind != JsonValueKind.Array)
                {
                    throw _f.Error(JsonFields.Join(path, "pretokenizers"), "expected an array");
                }

                var steps = new List<IPreTokenizer>();
                var count = items.GetArrayLength();
                for (var i = 0; i < count; i++)
                {
                    var p = $"{path}.pretokenizers[{i}]";
                    steps.Add(ReadPreTokenizer(items[i], p, isLast && i == count - 1) ?? throw _f.Error(p, "null inside a Sequence"));
                }

                return new SequencePreTokenizer([.. steps]);
            }

            case "ByteLevel":
            {
                if (!isLast)
                {
                    throw _f.Error(path, "a ByteLevel pre-tokenizer followed by other pre-tokenizers is not supported");
                }

                var addPrefixSpace = _f.OptionalBool(e, "add_prefix_space", path) ?? true;
                if (_settings.TokenizerClass is { } cls && (cls.StartsWith("GPT2Tokenizer", StringComparison.Ordinal) || cls.StartsWith("GPTNeoXTokenizer", StringComparison.Ordinal)))
                {
                    // GPT2TokenizerFast / GPTNeoXTokenizerFast replace the flag with the config's add_prefix_space (default false).
                    addPrefixSpace = _settings.AddPrefixSpace ?? false;
                }

                return new ByteLevelPreTokenizer(addPrefixSpace, _f.OptionalBool(e, "use_regex", path) ?? true);
            }

            case "Split":
            {
                var (pattern, isRegex) = ReadPattern(e, path);
                var behavior = ReadBehavior(_f.RequiredString(e, "behavior", path), JsonFields.Join(path, "behavior"));
                IMatchFinder finder;
                try
                {
                    finder = RegexMatchFinder.Create(pattern, isRegex);
                }
                catch (ArgumentException ex)
                {
                    throw new TokenizerLoadException(_f.File, JsonFields.Join(path, "pattern"), $"the regex is not supported: {ex.Message}", ex);
                }

                return new SplitPreTokenizer(finder, behavior, _f.OptionalBool(e, "invert", path) ?? false);
            }

            case "Metaspace":
                return ReadMetaspace(e, path);
            case "Digits":
                return new SplitPreTokenizer(new DigitsMatchFinder(_f.OptionalBool(e, "individual_digits", path) ?? false), SplitBehavior.Isolated, invert: false);
            case "WhitespaceSplit":
                return new SplitPreTokenizer(PredicateMatchFinder.Whitespace, SplitBehavior.Removed, invert: false);
            case "Whitespace":
                return new SplitPreTokenizer(WhitespacePattern.Value, SplitBehavior.Removed, invert: true);
            case "BertPreTokenizer":
                return new SequencePreTokenizer([
                    new SplitPreTokenizer(PredicateMatchFinder.Whitespace, SplitBehavior.Removed, invert: false),
                    new SplitPreTokenizer(PredicateMatchFinder.BertPunctuation, SplitBehavior.Isolated, invert: false)]);
            case "Punctuation":
                return new SplitPreTokenizer(
                    PredicateMatchFinder.BertPunctuation,
                    ReadBehavior(_f.OptionalString(e, "behavior", path) ?? "isolated", JsonFields.Join(path, "behavior")),
                    invert: false);
            case "CharDelimiterSplit":
            {
                var delimiter = _f.RequiredString(e, "delimiter", path);
                if (delimiter.EnumerateRunes().Count() != 1)
                {
                    throw _f.Error(JsonFields.Join(path, "delimiter"), $"expected a single character, found '{delimiter}'");
                }

                var cp = char.ConvertToUtf32(delimiter, 0);
                return new SplitPreTokenizer(new PredicateMatchFinder(c => c == cp), SplitBehavior.Removed, invert: false);
            }

            default:
                throw _f.Error(JsonFields.Join(path, "type"), $"pre-tokenizer '{type}' is not supported (supported: Sequence, ByteLevel, Split, Metaspace, Digits, WhitespaceSplit, Whitespace, BertPreTokenizer, Punctuation, CharDelimiterSplit)");
        }
    }

    private MetaspacePreTokenizer ReadMetaspace(JsonElement e, string path)
    {
        var (replacement, scheme) = ReadMetaspaceCommon(e, path);
        return new MetaspacePreTokenizer(replacement, scheme, _f.OptionalBool(e, "split", path) ?? true);
    }

    private (char Replacement, PrependScheme Scheme) ReadMetaspaceCommon(JsonElement e, string path)
    {
        var replacementText = _f.RequiredString(e, "replacement", path);
        if (replacementText.Length != 1)
        {
            throw _f.Error(JsonFields.Join(path, "replacement"), $"expected a single character, found '{replacementText}'");
        }

        var schemeText = _f.OptionalString(e, "prepend_scheme", path);
        var scheme = schemeText switch
        {
            null or "always" => PrependScheme.Always,
            "first" => PrependScheme.First,
            "never" => PrependScheme.Never,
            _ => throw _f.Error(JsonFields.Join(path, "prepend_scheme"), $"expected always, first or never, found '{schemeText}'"),
        };
        if (_f.OptionalBool(e, "add_prefix_space", path) == false)
        {
            if (schemeText is not null && scheme != PrependScheme.Never)
            {
                throw _f.Error(JsonFields.Join(path, "add_prefix_space"), $"false contradicts prepend_scheme '{schemeText}'");
            }

            scheme = PrependScheme.Never;
        }

        return (replacementText[0], scheme);
    }

    private SplitBehavior ReadBehavior(string text, string path) => text.ToLowerInvariant() switch
    {
        "removed" => SplitBehavior.Removed,
        "isolated" => SplitBehavior.Isolated,
        "merged_with_previous" or "mergedwithprevious" => SplitBehavior.MergedWithPrevious,
        "merged_with_next" or "mergedwithnext" => SplitBehavior.MergedWithNext,
        "contiguous" => SplitBehavior.Contiguous,
        _ => throw _f.Error(path, $"unknown split behavior '{text}'"),
    };

    private IDecoder? ReadDecoder(JsonElement? element, string path)
    {
        if (element is null)
        {
            return null;
        }

        var e = element.Value;
        var type = _f.RequiredString(e, "type", path);
        switch (type)
        {
            case "Sequence":
                return new SequenceDecoder(ReadArray(e, "decoders", path, (item, p) => ReadDecoder(item, p) ?? throw _f.Error(p, "null inside a Sequence")));
            case "ByteLevel":
                return new ByteLevelDecoder();
            case "ByteFallback":
                return new ByteFallbackDecoder();
            case "Fuse":
                return new FuseDecoder();
            case "Replace":
                return new ReplaceDecoder(ReadReplace(e, path));
            case "Metaspace":
            {
                var (replacement, scheme) = ReadMetaspaceCommon(e, path);
                return new MetaspaceDecoder(replacement, scheme);
            }

            case "WordPiece":
                return new WordPieceDecoder(_f.OptionalString(e, "prefix", path) ?? "##", _f.OptionalBool(e, "cleanup", path) ?? true);
            case "BPEDecoder":
                return new BpeSuffixDecoder(_f.OptionalString(e, "suffix", path) ?? "</w>");
            case "Strip":
            {
                var content = _f.RequiredString(e, "content", path);
                if (content.Length != 1)
                {
                    throw _f.Error(JsonFields.Join(path, "content"), "expected a single character");
                }

                return new StripDecoder(content[0], _f.OptionalInt(e, "start", path) ?? 0, _f.OptionalInt(e, "stop", path) ?? 0);
            }

            default:
                throw _f.Error(JsonFields.Join(path, "type"), $"decoder '{type}' is not supported (supported: Sequence, ByteLevel, ByteFallback, Fuse, Replace, Metaspace, Strip, WordPiece, BPEDecoder)");
        }
    }

    private SingleTemplate ReadPostProcessor(JsonElement? element, string path, TokenLookup lookup)
    {
        if (element is null)
        {
            return SingleTemplate.None;
        }

        var e = element.Value;
        var type = _f.RequiredString(e, "type", path);
        switch (type)
        {
            case "ByteLevel":
                return SingleTemplate.None;
            case "Sequence":
            {
                var result = SingleTemplate.None;
                foreach (var inner in ReadArray(e, "processors", path, (item, p) => ReadPostProcessor(item, p, lookup)))
                {
                    result = result.Then(inner);
                }

                return result;
            }

            case "TemplateProcessing":
                return ReadTemplate(e, path, lookup);
            case "RobertaProcessing":
            case "BertProcessing":
            {
                var cls = ReadTokenPair(e, "cls", path);
                var sep = ReadTokenPair(e, "sep", path);
                return new SingleTemplate([cls], [sep]);
            }

            default:
                throw _f.Error(JsonFields.Join(path, "type"), $"post-processor '{type}' is not supported (supported: ByteLevel, TemplateProcessing, RobertaProcessing, BertProcessing, Sequence)");
        }
    }

    private int ReadTokenPair(JsonElement e, string name, string path)
    {
        var pair = _f.Required(e, name, path);
        var p = JsonFields.Join(path, name);
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[1].ValueKind != JsonValueKind.Number)
        {
            throw _f.Error(p, "expected [token, id]");
        }

        return pair[1].GetInt32();
    }

    private SingleTemplate ReadTemplate(JsonElement e, string path, TokenLookup lookup)
    {
        var specialTokens = JsonFields.Optional(e, "special_tokens");
        var prefix = new List<int>();
        var suffix = new List<int>();
        var sawSequence = false;
        var single = _f.Required(e, "single", path);
        if (single.ValueKind != JsonValueKind.Array)
        {
            throw _f.Error(JsonFields.Join(path, "single"), "expected an array of pieces");
        }

        var i = 0;
        foreach (var item in single.EnumerateArray())
        {
            var p = $"{path}.single[{i++}]";
            if (JsonFields.Optional(item, "Sequence") is not null)
            {
                if (sawSequence)
                {
                    throw _f.Error(p, "a single-sequence template with the sequence twice is not supported");
                }

                sawSequence = true;
                continue;
            }

            var special = JsonFields.Optional(item, "SpecialToken") ?? throw _f.Error(p, "expected {\"SpecialToken\": ...} or {\"Sequence\": ...}");
            var name = _f.RequiredString(special, "id", p + ".SpecialToken");
            var ids = ResolveTemplateToken(name, specialTokens, lookup, JsonFields.Join(path, "special_tokens"));
            (sawSequence ? suffix : prefix).AddRange(ids);
        }

        return new SingleTemplate([.. prefix], [.. suffix]);
    }

    private List<int> ResolveTemplateToken(string name, JsonElement? specialTokens, TokenLookup lookup, string path)
    {
        if (specialTokens is { } map && JsonFields.Optional(map, name) is { } entry)
        {
            var idsElement = _f.Required(entry, "ids", JsonFields.Join(path, name));
            return idsElement.EnumerateArray().Select(x => x.GetInt32()).ToList();
        }

        return lookup.Find(name) is { } id ? [id] : throw _f.Error(JsonFields.Join(path, name), $"template token '{name}' is neither in special_tokens nor in the vocabulary");
    }

    private T[] ReadArray<T>(JsonElement e, string name, string path, Func<JsonElement, string, T> read)
    {
        var items = _f.Required(e, name, path);
        if (items.ValueKind != JsonValueKind.Array)
        {
            throw _f.Error(JsonFields.Join(path, name), $"expected an array, found {items.ValueKind}");
        }

        var result = new T[items.GetArrayLength()];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = read(items[i], string.Create(CultureInfo.InvariantCulture, $"{path}.{name}[{i}]"));
        }

        return result;
    }
}
