using System.CommandLine;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>mlrb score --requests FILE</c> (what benchmarks/scripts/gpu-check.sh drives): whole files of requests against the PyTorch goldens.</summary>
public class ScoreRequestsTests
{
    private static string Root => TestPaths.RepositoryRoot;

    private static string Model(string name) => Path.Combine(Root, "tests", "reference", "models", name);

    private static JsonElement Golden(string name, string kind)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "tests", "reference", "golden", name + ".json")));
        return doc.RootElement.GetProperty(kind).Clone();
    }

    private static string WriteFile(object content)
    {
        var path = Path.Combine(TestPaths.CreateTempDirectory("mlrb-requests"), "requests.json");
        File.WriteAllText(path, JsonSerializer.Serialize(content));
        return path;
    }

    [Test]
    public async Task TokenPairs_AllResultsInOrder_MatchPyTorchGolden()
    {
        var golden = Golden("tiny-llama", "token_requests").EnumerateArray().ToList();
        var file = WriteFile(golden.Select(g => new[] { g.GetProperty("context").EnumerateArray().Select(e => e.GetInt32()).ToArray(), g.GetProperty("continuation").EnumerateArray().Select(e => e.GetInt32()).ToArray() }));

        var (code, output, error) = await CliInvoker.RunAsync("score", "--model", Model("tiny-llama"), "--requests", file, "--warmup", "2");

        Assert.That(code, Is.Zero, error);
        using var doc = JsonDocument.Parse(output);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results, Has.Count.EqualTo(golden.Count));
        for (var i = 0; i < golden.Count; i++)
        {
            Assert.That(results[i][0].GetDouble(), Is.EqualTo(golden[i].GetProperty("loglikelihood").GetDouble()).Within(1e-4), $"request {i}");
            Assert.That(results[i][1].GetBoolean(), Is.EqualTo(golden[i].GetProperty("is_greedy").GetBoolean()), $"request {i}");
        }

        // Request tokens as given (before left truncation), as torch_scoring.py counts them.
        var expectedTokens = golden.Sum(g => g.GetProperty("context").GetArrayLength() + g.GetProperty("continuation").GetArrayLength() - 1);
        Assert.That(doc.RootElement.GetProperty("requests").GetInt32(), Is.EqualTo(golden.Count));
        Assert.That(doc.RootElement.GetProperty("tokens").GetInt64(), Is.EqualTo(expectedTokens));
        Assert.That(doc.RootElement.GetProperty("tokens_per_second").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public async Task TextObjects_UseTheFolderTokenizer_AndMatchPyTorchGolden()
    {
        var golden = Golden("tiny-gpt2", "text_requests").EnumerateArray().ToList();
        var file = WriteFile(golden.Select(g => new { context = g.GetProperty("context").GetString(), continuation = g.GetProperty("continuation").GetString() }));

        var (code, output, error) = await CliInvoker.RunAsync("score", "--model", Model("tiny-gpt2"), "--requests", file);

        Assert.That(code, Is.Zero, error);
        using var doc = JsonDocument.Parse(output);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r[0].GetDouble()).ToList();
        Assert.That(results, Is.EqualTo(golden.Select(g => g.GetProperty("loglikelihood").GetDouble())).Within(1e-4));
    }

    [Test]
    public async Task MixedKinds_IsAClearError()
    {
        var file = WriteFile(new object[] { new[] { new[] { 1 }, new[] { 2 } }, new { context = "a", continuation = "b" } });
        var (code, _, error) = await CliInvoker.RunAsync("score", "--model", Model("tiny-gpt2"), "--requests", file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("mixes token-id and text requests"));
    }

    [Test]
    public async Task BadItem_NamesItsIndex()
    {
        var file = WriteFile(new object[] { new[] { new[] { 1 }, new[] { 2 } }, new[] { 3 } });
        var (code, _, error) = await CliInvoker.RunAsync("score", "--model", Model("tiny-gpt2"), "--requests", file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("request 1 is neither"));
    }

    [Test]
    public async Task RequestsWithContext_IsAUsageError()
    {
        var file = WriteFile(new object[] { new[] { new[] { 1 }, new[] { 2 } } });
        var (code, _, error) = await CliInvoker.RunAsync("score", "--model", Model("tiny-gpt2"), "--requests", file, "--context", "x", "--continuation", "y");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--requests replaces"));
    }
}
