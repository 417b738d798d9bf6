namespace Mlrb.Eval.Generation;

/// <summary>One prompt to continue: text (encoded with the model's tokenizer) or token ids.</summary>
public sealed record GenerationRequest
{
    /// <summary>A text prompt.</summary>
    /// <param name="prompt">The prompt; an empty prompt is continued from the BOS (else EOS) token.</param>
    /// <param name="options">Options; null for the defaults.</param>
    public GenerationRequest(string prompt, GenerationOptions? options = null)
    {
        Prompt = prompt ?? throw new ArgumentNullException(nameof(prompt));
        Options = options ?? new GenerationOptions();
    }

    /// <summary>A prompt given as token ids (for a model folder without a tokenizer, decoded text needs one).</summary>
    /// <param name="promptTokens">The ids.</param>
    /// <param name="options">Options; null for the defaults.</param>
    public GenerationRequest(IReadOnlyList<int> promptTokens, GenerationOptions? options = null)
    {
        PromptTokens = promptTokens ?? throw new ArgumentNullException(nameof(promptTokens));
        Options = options ?? new GenerationOptions();
    }

    /// <summary>The text prompt, when given as text.</summary>
    public string? Prompt { get; }

    /// <summary>The prompt's token ids, when given as ids.</summary>
    public IReadOnlyList<int>? PromptTokens { get; }

    /// <summary>How to continue it.</summary>
    public GenerationOptions Options { get; init; }
}
