using System.CommandLine;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>mlrb score</c> on the committed tiny reference models; expected numbers come from tests/reference/golden (PyTorch).</summary>
public class ScoreCommandTests
{
    private static string Model(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", name);

    private static JsonElement GoldenTokenRequest(string name, int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "golden", name + ".json")));
        return doc.RootElement.GetProperty("token_requests")[index].Clone();
    }

    private static JsonElement GoldenTextRequest(string name, int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "golden", name + ".json")));
        return doc.RootElement.GetProperty("text_requests")[index].Clone();
    }

    [Test]
    public async Task TokenIds_Json_MatchesPyTorchGolden()
    {
        var golden = GoldenTokenRequest("tiny-llama", 0);
        var ctx = string.Join(",", golden.GetProperty("context").EnumerateArray().Select(e => e.GetInt32()));
        var cont = string.Join(",", golden.GetProperty("continuation").EnumerateArray().Select(e => e.GetInt32()));

        var (code, output, error) = await CliInvoker.RunAsync("score", "--model", Model("tiny-llama"), "--context-tokens", ctx, "--continuation-tokens", cont, "--json");

        Assert.That(code, Is.EqualTo(0), error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("loglikelihood").GetDouble(), Is.EqualTo(golden.GetProperty("loglikelihood").GetDouble()).Within(1e-4));
        Assert.That(root.GetProperty("is_greedy").GetBoolean(), Is.EqualTo(golden.GetProperty("is_greedy").GetBoolean()));
        Assert.That(root.GetProperty("context_tokens").GetInt32(), Is.EqualTo(golden.GetProperty("context").GetArrayLength()));
        Assert.That(root.GetProperty("continuation_tokens").GetInt32(), Is.EqualTo(golden.GetProperty("continuation").GetArrayLength()));
    }

    [Test]
    public async Task Text_UsesTheFolderTokenizer_AndMatchesPyTorchGolden()
    {
        var golden = GoldenTextRequest("tiny-gpt2", 2);

        var (code, output, error) = await CliInvoker.RunAsync(
            "score", "--model", Model("tiny-gpt2"), "--context", golden.GetProperty("context").GetString()!,
            "--continuation", golden.GetProperty("continuation").GetString()!, "--json");

        Assert.That(code, Is.EqualTo(0), error);
        using var doc = JsonDocument.Parse(output);
        Assert.That(doc.RootElement.GetProperty("loglikelihood").GetDouble(), Is.EqualTo(golden.GetProperty("loglikelihood").GetDouble()).Within(1e-4));
        Assert.That(doc.RootElement.GetProperty("context_tokens").GetInt32(), Is.EqualTo(golden.GetProperty("context_tokens").GetArrayLength()));
    }

    [Test]
    public async Task PlainOutput_ListsTheFourFields()
    {
        var (code, output, _) = await CliInvoker.RunAsync("score", "--model", Model("tiny-gpt2"), "--context-tokens", "1,2", "--continuation-tokens", "3");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("loglikelihood: -").And.Contain("is_greedy: ").And.Contain("context_tokens: 2").And.Contain("continuation_tokens: 1"));
    }

    [Test]
    public async Task BothForms_IsAUsageError()
    {
        var (code, _, error) = await CliInvoker.RunAsync("score", "--model", Model("tiny-gpt2"), "--context", "a", "--context-tokens", "1");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("either"));
    }

    [Test]
    public async Task BadTokenId_IsAUsageError()
    {
        var (code, _, error) = await CliInvoker.RunAsync("score", "--model", Model("tiny-gpt2"), "--context-tokens", "1,x", "--continuation-tokens", "2");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--context-tokens").And.Contain("'x'"));
    }

    [Test]
    public async Task EmptyContinuation_IsAClearError()
    {
        var (code, _, error) = await CliInvoker.RunAsync("score", "--model", Model("tiny-gpt2"), "--context-tokens", "1", "--continuation-tokens", "");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("continuation is empty"));
    }

    [Test]
    public async Task MissingModelFolder_NamesIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "mlrb-no-such-model-" + Guid.NewGuid().ToString("N"));

        var (code, _, error) = await CliInvoker.RunAsync("score", "--model", missing, "--context-tokens", "1", "--continuation-tokens", "2");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain(missing));
    }
}
