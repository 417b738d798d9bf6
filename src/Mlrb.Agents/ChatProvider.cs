namespace Mlrb.Agents;

/// <summary>The model API a chat client speaks.</summary>
public enum ChatProvider
{
    /// <summary>The OpenAI chat-completions API, or any server that speaks it (vLLM, Ollama, llama.cpp) through a custom endpoint.</summary>
    OpenAI,

    /// <summary>The Anthropic messages API.</summary>
    Anthropic,
}
