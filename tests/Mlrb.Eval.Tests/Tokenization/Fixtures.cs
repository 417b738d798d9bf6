using System.Text;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>Tiny hand-written tokenizer.json files; the tests' expected ids are worked out by hand from these vocabularies and merges.</summary>
internal static class Fixtures
{
    /// <summary>GPT-2 layout: ByteLevel pre-tokenizer with the GPT-2 regex, ByteLevel decoder, one special added token.</summary>
    public const string ByteLevel = """
    {
      "version": "1.0",
      "added_tokens": [
        {"id": 20, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true}
      ],
      "normalizer": null,
      "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
      "post_processor": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
      "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
      "model": {
        "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": "", "end_of_word_suffix": "",
        "fuse_unk": false, "byte_fallback": false,
        "vocab": {"h": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "w": 5, "r": 6, "d": 7, "he": 8, "ll": 9, "hell": 10, "hello": 11,
                  "Ġw": 12, "or": 13, "Ġwor": 14, "a": 15, "b": 16, "c": 17, "bc": 18, "ab": 19,
                  "Ċ": 21, "ĠĠ": 22, "Ã": 23, "©": 24, "Ã©": 25},
        "merges": ["#version: 0.2", "h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "b c", "a b", "Ġ Ġ", "Ã ©"]
      }
    }
    """;

    /// <summary>Llama-2 layout (legacy): Prepend + Replace normalizer, byte fallback, fused unk, BOS template, SentencePiece decoder.</summary>
    public const string SentencePiece = """
    {
      "version": "1.0",
      "added_tokens": [
        {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
      ],
      "normalizer": {"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": "▁"},
        {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}
      ]},
      "pre_tokenizer": null,
      "post_processor": {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}
      },
      "decoder": {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
        {"type": "ByteFallback"},
        {"type": "Fuse"},
        {"type": "Strip", "content": " ", "start": 1, "stop": 0}
      ]},
      "model": {
        "type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": null, "end_of_word_suffix": null,
        "fuse_unk": true, "byte_fallback": true,
        "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<0xE2>": 3, "<0x82>": 4, "<0xAC>": 5, "<0x0A>": 6,
                  "▁": 7, "h": 8, "i": 9, "▁h": 10, "▁hi": 11, "t": 12, "▁t": 13, "hi": 14},
        "merges": [["▁", "h"], ["▁h", "i"], ["▁", "t"], ["h", "i"]]
      }
    }
    """;

    /// <summary>Llama-3 layout: Split (Llama-3 regex) + ByteLevel(use_regex=false), ignore_merges, BOS template in a Sequence.</summary>
    private const string TiktokenTemplate = """
    {
      "version": "1.0",
      "added_tokens": [
        {"id": 30, "content": "<|begin_of_text|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 31, "content": "<|end_of_text|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
      ],
      "normalizer": null,
      "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": __PATTERN__}, "behavior": "Isolated", "invert": false},
        {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}
      ]},
      "post_processor": {"type": "Sequence", "processors": [
        {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
        {"type": "TemplateProcessing",
         "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
         "pair": [],
         "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [30], "tokens": ["<|begin_of_text|>"]}}}
      ]},
      "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
      "model": {
        "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null, "end_of_word_suffix": null,
        "fuse_unk": false, "byte_fallback": false, "ignore_merges": __IGNORE__,
        "vocab": {"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "12": 5, "123": 6, "45": 7,
                  "x": 8, "y": 9, "z": 10, "xy": 11, "xyz": 12, "Ġ": 13, "Ġx": 14},
        "merges": ["1 2", "12 3", "4 5", "Ġ x", "x y"]
      }
    }
    """;

    /// <summary>Llama-3 layout with a given split pattern and <c>ignore_merges</c> flag.</summary>
    public static string Tiktoken(string pattern, bool ignoreMerges) => TiktokenTemplate
        .Replace("__PATTERN__", System.Text.Json.JsonSerializer.Serialize(pattern), StringComparison.Ordinal)
        .Replace("__IGNORE__", ignoreMerges ? "true" : "false", StringComparison.Ordinal);

    public static ITokenizer Load(string json, string? config = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        using var configStream = config is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(config));
        return TokenizerLoader.LoadTokenizerJson(stream, configStream);
    }

    /// <summary>Replaces one JSON fragment of a fixture (fails loudly if the fragment is not there).</summary>
    public static string With(string json, string fragment, string replacement)
    {
        Assert.That(json, Does.Contain(fragment), "fixture fragment");
        return json.Replace(fragment, replacement, StringComparison.Ordinal);
    }
}
