namespace Mlrb.Agents;

/// <summary>Which model one role (planner or worker) talks to, and how to reach it.</summary>
public sealed class ModelOptions
{
    /// <summary>The API the model is served by. Default <see cref="ChatProvider.OpenAI"/>.</summary>
    public ChatProvider Provider { get; set; } = ChatProvider.OpenAI;

    /// <summary>Model id; when null the provider's default (<c>gpt-4o</c>, <c>claude-sonnet-4-5</c>, or <c>replay</c>) is used.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// Base address of the API. For OpenAI-compatible servers give the address that ends in <c>/v1</c>
    /// (requests go to <c>{Endpoint}/chat/completions</c>); for Anthropic the address before <c>/v1/messages</c>.
    /// Null means the provider's public API.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// API key. When null it is read from the environment: <c>OPENAI_API_KEY</c> then <c>OPENAI</c>,
    /// or <c>ANTHROPIC_API_KEY</c> then <c>ANTHROPIC</c>. A custom OpenAI-compatible endpoint may run without one.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>For <see cref="ChatProvider.Replay"/>: the JSON-lines script or exported transcript to play back.</summary>
    public string? TranscriptPath { get; set; }

    /// <summary>Most output tokens per call. Default 8192 (the reference's 1024 cut long <c>write_code</c> calls short).</summary>
    public int MaxOutputTokens { get; set; } = 8192;

    /// <summary>The model id that will be used: <see cref="Model"/> or the provider default.</summary>
    /// <returns>A model id.</returns>
    public string ResolveModel() => !string.IsNullOrWhiteSpace(Model)
        ? Model
        : Provider switch
        {
            ChatProvider.Anthropic => "claude-sonnet-4-5",
            ChatProvider.Replay => "replay",
            _ => "gpt-4o",
        };

    /// <summary>Copies these options.</summary>
    /// <returns>An independent copy.</returns>
    public ModelOptions Clone() => (ModelOptions)MemberwiseClone();
}
