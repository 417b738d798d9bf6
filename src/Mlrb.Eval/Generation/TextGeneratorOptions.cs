using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Generation;

/// <summary>Options of <see cref="TextGenerator.Load"/>.</summary>
public sealed record TextGeneratorOptions
{
    /// <summary>A PEFT LoRA adapter folder merged into the model while it loads; null for none.</summary>
    public string? Adapter { get; init; }

    /// <summary>Where the model runs: <c>cpu</c> (default), <c>ilgpu-cpu</c> or <c>cuda</c> / <c>cuda:N</c> (see <see cref="Scoring.ComputeDevices"/>).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Worker threads for the CPU backend; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Most prompts decoded together; more wait their turn. Default 16.</summary>
    public int MaxBatchSequences { get; init; } = 16;

    /// <summary>Most tokens in one forward pass; long prompts are prefilled in chunks of this size. Default 512.</summary>
    public int MaxStepTokens { get; init; } = 512;

    /// <summary>The context length; null uses the model's (as <see cref="Scoring.ModelScorerOptions.MaxLength"/>).</summary>
    public int? MaxLength { get; init; }

    /// <summary>The tokenizer; null loads the folder's own. A folder without a tokenizer generates from token ids only.</summary>
    public ITokenizer? Tokenizer { get; init; }
}
