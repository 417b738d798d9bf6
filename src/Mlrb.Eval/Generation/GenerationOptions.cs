namespace Mlrb.Eval.Generation;

/// <summary>
/// How one prompt is continued. The defaults are lm-evaluation-harness's <c>generate_until</c> defaults: greedy decoding,
/// at most 256 new tokens (<c>max_gen_toks</c>), stopping at the model's end-of-sequence token.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>lm-evaluation-harness's default <c>max_gen_toks</c>.</summary>
    public const int HarnessMaxGenerationTokens = 256;

    /// <summary>Most tokens generated (the end-of-sequence token included when it ends the output). 0 generates nothing.</summary>
    public int MaxNewTokens { get; init; } = HarnessMaxGenerationTokens;

    /// <summary>0 for greedy decoding (first-index argmax); above 0, sampling from the logits divided by it.</summary>
    public double Temperature { get; init; }

    /// <summary>Nucleus sampling: keep the most likely tokens whose probabilities add up to this (1 keeps all). Sampling only.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens (0 keeps all). Sampling only.</summary>
    public int TopK { get; init; }

    /// <summary>Seed of the sampler: the same seed, prompt and options give the same output, alone or in a batch. Null draws a random seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Strings that end the output when it contains them (matched on decoded text, across token boundaries); the output is cut before the first one.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>End the output at the model's end-of-sequence token(s). Default true.</summary>
    public bool StopAtEndOfSequence { get; init; } = true;

    /// <summary>
    /// Whether a text prompt is encoded with the tokenizer's special tokens (e.g. Llama's BOS). Null uses the tokenizer's
    /// default, as <c>tokenizer(prompt)</c> does; lm-evaluation-harness encodes generation contexts without them (false).
    /// </summary>
    public bool? AddSpecialTokens { get; init; }

    /// <summary>
    /// When the prompt and <see cref="MaxNewTokens"/> do not fit the model's context, keep only the prompt's last
    /// <c>MaxLength − MaxNewTokens</c> tokens (as lm-evaluation-harness does) instead of failing.
    /// </summary>
    public bool TruncatePromptFromLeft { get; init; }

    /// <summary>Return the log-probability of every generated token with this many most likely alternatives (null: none).</summary>
    public int? Logprobs { get; init; }

    /// <summary>
    /// lm-evaluation-harness's <c>generate_until</c>: greedy, <paramref name="until"/> as stop strings (the harness adds the
    /// decoded EOS token, which <see cref="ITextGenerator"/> adds too), contexts encoded as the harness encodes them: for a
    /// decoder-only model without special tokens and left-truncated to <c>max_length − max_gen_toks</c>; for an encoder-decoder
    /// (<see cref="ITextGenerator.IsEncoderDecoder"/>) with the tokenizer's (T5 appends <c>&lt;/s&gt;</c>) and left-truncated
    /// to <c>max_length</c>.
    /// </summary>
    /// <param name="until">The stop strings.</param>
    /// <param name="maxGenerationTokens"><c>max_gen_toks</c>.</param>
    /// <returns>The options.</returns>
    public static GenerationOptions HarnessGenerateUntil(IReadOnlyList<string> until, int maxGenerationTokens = HarnessMaxGenerationTokens)
        => new()
        {
            MaxNewTokens = maxGenerationTokens,
            StopSequences = until,
            TruncatePromptFromLeft = true,
            AddEndOfSequenceText = true,
            HarnessContext = true,
        };

    /// <summary>Encode a text prompt as the harness encodes a generation context (when <see cref="AddSpecialTokens"/> is null).</summary>
    internal bool HarnessContext { get; init; }

    /// <summary>Add the tokenizer's EOS text to the stop strings (the harness's <c>until.append(eos)</c>).</summary>
    internal bool AddEndOfSequenceText { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    public void Validate()
    {
        if (MaxNewTokens < 0)
        {
            throw new ArgumentException($"MaxNewTokens must be 0 or more, found {MaxNewTokens}.");
        }

        if (double.IsNaN(Temperature) || Temperature < 0)
        {
            throw new ArgumentException($"Temperature must be 0 (greedy) or positive, found {Temperature}.");
        }

        if (double.IsNaN(TopP) || TopP <= 0 || TopP > 1)
        {
            throw new ArgumentException($"TopP must be in (0, 1], found {TopP}.");
        }

        if (TopK < 0)
        {
            throw new ArgumentException($"TopK must be 0 (off) or positive, found {TopK}.");
        }

        if (Logprobs is < 0 or > 20)
        {
            throw new ArgumentException($"Logprobs must be in [0, 20], found {Logprobs}.");
        }

        if (StopSequences is null || StopSequences.Any(s => s is null))
        {
            throw new ArgumentException("StopSequences must not be null or contain null.");
        }
    }
}
