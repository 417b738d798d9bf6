namespace Mlrb.Eval.Tokenization.Components;

/// <summary>What tokenizer_config.json / special_tokens_map.json say about BOS, EOS and the maximum length.</summary>
internal sealed record SpecialTokenSettings
{
    /// <summary>The BOS token text, or null.</summary>
    public string? BosToken { get; init; }

    /// <summary>The EOS token text, or null.</summary>
    public string? EosToken { get; init; }

    /// <summary>The UNK token text, or null.</summary>
    public string? UnkToken { get; init; }

    /// <summary><c>add_bos_token</c> when the config states it.</summary>
    public bool? AddBosToken { get; init; }

    /// <summary><c>add_eos_token</c> when the config states it.</summary>
    public bool? AddEosToken { get; init; }

    /// <summary><c>legacy</c> when the config states it (Llama).</summary>
    public bool? Legacy { get; init; }

    /// <summary><c>add_prefix_space</c> when the config states it.</summary>
    public bool? AddPrefixSpace { get; init; }

    /// <summary><c>tokenizer_class</c>, or null.</summary>
    public string? TokenizerClass { get; init; }

    /// <summary><c>model_max_length</c>, unless absent or the "no limit" sentinel.</summary>
    public int? ModelMaxLength { get; init; }

    /// <summary><c>extra_ids</c> when the config states it (T5's sentinel tokens).</summary>
    public int? ExtraIds { get; init; }
}
