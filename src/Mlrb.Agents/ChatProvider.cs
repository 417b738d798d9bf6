namespace Mlrb.Agents;

/// <summary>The model API a chat client speaks.</summary>
public enum ChatProvider
{
    /// <summary>The OpenAI chat-completions API, or any server that speaks it (vLLM, Ollama, llama.cpp) through a custom endpoint.</summary>
    OpenAI,

    /// <summary>The Anthropic messages API.</summary>
    Anthropic,

    /// <summary>
    /// No model API: plays back a recorded run or a hand-written script (<see cref="ModelOptions.TranscriptPath"/>,
    /// see <see cref="Replay.ReplayScript"/>). Needs no key and is deterministic.
    /// </summary>
    Replay,
}
