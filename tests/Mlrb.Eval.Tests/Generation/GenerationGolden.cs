using System.Text.Json;
using System.Text.Json.Serialization;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Generation;

/// <summary>A golden file written by tests/reference/generation.py (greedy decoding by full PyTorch forwards, no cache).</summary>
internal sealed class GenerationGolden
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = "";

    [JsonPropertyName("max_length")]
    public int MaxLength { get; set; }

    [JsonPropertyName("new_tokens")]
    public int NewTokens { get; set; }

    [JsonPropertyName("greedy")]
    public List<GreedyCase> Greedy { get; set; } = [];

    [JsonPropertyName("context_full")]
    public GreedyCase ContextFull { get; set; } = new();

    [JsonPropertyName("encoder_decoder")]
    public bool EncoderDecoder { get; set; }

    [JsonPropertyName("stop_cases")]
    public List<StopCase>? StopCases { get; set; }

    public string ModelPath => Model.StartsWith("../", StringComparison.Ordinal)
        ? TestPaths.RequireSharedData(Model["../shared/data/".Length..])
        : Path.Combine(TestPaths.RepositoryRoot, Model);

    public static GenerationGolden Read(string model)
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "golden", $"generation-{model}.json");
        return JsonSerializer.Deserialize<GenerationGolden>(File.ReadAllText(path)) ?? throw new InvalidDataException(path);
    }
}

internal sealed class GreedyCase
{
    [JsonPropertyName("prompt")]
    public int[] Prompt { get; set; } = [];

    [JsonPropertyName("tokens")]
    public int[] Tokens { get; set; } = [];

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    /// <summary>The context the case was generated with, when not the model's own (the T5 context-full case).</summary>
    [JsonPropertyName("max_length")]
    public int? MaxLength { get; set; }
}

internal sealed class StopCase
{
    [JsonPropertyName("prompt")]
    public int[] Prompt { get; set; } = [];

    [JsonPropertyName("stop")]
    public string Stop { get; set; } = "";

    [JsonPropertyName("text")]
    public string Text { get; set; } = "";

    [JsonPropertyName("tokens_until_stop")]
    public int TokensUntilStop { get; set; }
}
