using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Scoring;

/// <summary>Options of <see cref="ModelScorer.Load"/>. The defaults reproduce lm-evaluation-harness (batch size 1, fp32) to float tolerance.</summary>
public sealed record ModelScorerOptions
{
    /// <summary>Maximum sequence length for left truncation; null resolves it as the harness does (n_positions, max_position_embeddings, n_ctx).</summary>
    public int? MaxLength { get; init; }

    /// <summary>
    /// A PEFT LoRA adapter folder (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>) merged into the model while it loads;
    /// null for none. The model folder's tokenizer is used.
    /// </summary>
    public string? Adapter { get; init; }

    /// <summary>The arithmetic of matrix products; <see cref="ComputeDType.Fp32"/> (default) reproduces the harness's fp32 numbers.</summary>
    public ComputeDType DType { get; init; } = ComputeDType.Fp32;

    /// <summary>
    /// Where the model runs: <c>cpu</c> (default), <c>ilgpu-cpu</c> or <c>cuda</c> / <c>cuda:N</c> (see <see cref="ComputeDevices"/>).
    /// An unknown or absent device fails the load with an <see cref="ArgumentException"/>.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>On an accelerator, the fraction of its free memory forward passes may use (caps <see cref="MaxBatchTokens"/>). Default 0.8.</summary>
    public double DeviceMemoryFraction { get; init; } = 0.8;

    /// <summary>Worker threads for the CPU backend; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Most tokens run in one forward pass (sequences are packed without padding). Default 1024.</summary>
    public int MaxBatchTokens { get; init; } = 1024;

    /// <summary>Most sequences run in one forward pass. Default 64.</summary>
    public int MaxBatchSequences { get; init; } = 64;

    /// <summary>
    /// Run every shared prefix once and reuse its keys and values: a k-shot block shared by the questions of a subject, then each
    /// question shared by its choices. Truncated inputs are never shared. Default true.
    /// </summary>
    public bool ReusePrefixes { get; init; } = true;

    /// <summary>
    /// Most bytes of cached prefix keys and values alive at once (fp32); a shared prefix that would exceed it is not cached and its
    /// requests continue the enclosing cached prefix instead. Default 2 GiB.
    /// </summary>
    public long PrefixCacheBytes { get; init; } = 2L << 30;

    /// <summary>Share prefixes at every level (default); false shares only a whole context among its continuations (benchmarks compare the two).</summary>
    internal bool NestPrefixes { get; init; } = true;

    /// <summary>Rows per LM-head chunk (tests force small chunks); null sizes chunks to about 32 MB of logits.</summary>
    internal int? LogitChunkRows { get; init; }

    /// <summary>The tokenizer for text requests; null loads the model folder's own (<see cref="TokenizerLoader"/>) on the first text request.</summary>
    public ITokenizer? Tokenizer { get; init; }

    /// <summary>The token used as context of an empty-context request; null uses BOS, else EOS (tokenizer first, then config.json).</summary>
    public int? PrefixTokenId { get; init; }
}
