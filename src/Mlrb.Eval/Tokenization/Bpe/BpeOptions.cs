namespace Mlrb.Eval.Tokenization.Bpe;

/// <summary>The flags of a <c>BPE</c> model in tokenizer.json.</summary>
internal sealed record BpeOptions
{
    /// <summary>The unknown token, or null (unknown characters are then dropped).</summary>
    public string? UnkToken { get; init; }

    /// <summary>Collapse consecutive unknown characters into one unknown token.</summary>
    public bool FuseUnk { get; init; }

    /// <summary>Encode unknown characters as <c>&lt;0xHH&gt;</c> byte tokens.</summary>
    public bool ByteFallback { get; init; }

    /// <summary>Emit a piece found whole in the vocabulary without running merges (Llama-3).</summary>
    public bool IgnoreMerges { get; init; }

    /// <summary>Prefix of non-initial subwords, or null.</summary>
    public string? ContinuingSubwordPrefix { get; init; }

    /// <summary>Suffix of word-final subwords, or null.</summary>
    public string? EndOfWordSuffix { get; init; }

    /// <summary>Map each UTF-8 byte of a piece to GPT-2's byte-level alphabet before lookup (set by a ByteLevel pre-tokenizer).</summary>
    public bool MapBytes { get; init; }
}
