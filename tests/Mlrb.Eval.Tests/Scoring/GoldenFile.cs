using System.Text.Json;
using System.Text.Json.Serialization;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>A golden file written by tests/reference/generate.py (PyTorch reference scoring).</summary>
internal sealed class GoldenFile
{
    [JsonPropertyName("max_length")]
    public int MaxLength { get; set; }

    [JsonPropertyName("token_requests")]
    public List<GoldenRequest> TokenRequests { get; set; } = [];

    [JsonPropertyName("text_requests")]
    public List<GoldenRequest> TextRequests { get; set; } = [];

    [JsonPropertyName("bos_token_id")]
    public int? BosTokenId { get; set; }

    [JsonPropertyName("prefix_token_id")]
    public int PrefixTokenId { get; set; }

    [JsonPropertyName("encodings")]
    public Dictionary<string, int[]> Encodings { get; set; } = [];

    public static string ModelPath(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", name);

    public static GoldenFile Read(string name)
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "golden", name + ".json");
        return JsonSerializer.Deserialize<GoldenFile>(File.ReadAllText(path)) ?? throw new InvalidDataException(path);
    }
}

internal sealed class GoldenRequest
{
    [JsonPropertyName("context")]
    public JsonElement Context { get; set; }

    [JsonPropertyName("continuation")]
    public JsonElement Continuation { get; set; }

    [JsonPropertyName("context_tokens")]
    public int[]? ContextTokens { get; set; }

    [JsonPropertyName("continuation_tokens")]
    public int[]? ContinuationTokens { get; set; }

    [JsonPropertyName("loglikelihood")]
    public double LogLikelihood { get; set; }

    [JsonPropertyName("is_greedy")]
    public bool IsGreedy { get; set; }

    public int[] ContextIds => ContextTokens ?? Context.Deserialize<int[]>()!;

    public int[] ContinuationIds => ContinuationTokens ?? Continuation.Deserialize<int[]>()!;

    public string ContextText => Context.GetString()!;

    public string ContinuationText => Continuation.GetString()!;
}
