using System.CommandLine;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>mlrb score</c>, <c>mlrb stats</c> and <c>mlrb generate</c> on the tiny T5 references (goldens from tests/reference/t5.py and generation.py).</summary>
public class T5CommandTests
{
    private static string Reference(string kind, string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", kind, name);

    [Test]
    public void Score_Text_OnFlanT5_FollowsTheSeq2SeqRule()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference("golden", "tiny-flan-t5.json")));
        var golden = doc.RootElement.GetProperty("text_requests")[1];

        var (code, stdout, stderr) = CliInvoker.Run("score", "--model", Reference("models", "tiny-flan-t5"), "--context", golden.GetProperty("context").GetString()!,
            "--continuation", golden.GetProperty("continuation").GetString()!, "--json");

        Assert.That(code, Is.Zero, stderr);
        using var result = JsonDocument.Parse(stdout);
        Assert.That(result.RootElement.GetProperty("loglikelihood").GetDouble(), Is.EqualTo(golden.GetProperty("loglikelihood").GetDouble()).Within(1e-4));
        Assert.That(result.RootElement.GetProperty("context_tokens").GetInt32(), Is.EqualTo(golden.GetProperty("context_tokens").GetArrayLength()));
    }

    [Test]
    public void Stats_OnT5_RunsAForwardPass()
    {
        var (code, stdout, stderr) = CliInvoker.Run("stats", "--model", Reference("models", "tiny-t5"), "--json");

        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("forward").GetString(), Does.StartWith("one forward pass"));
    }

    [Test]
    public async Task Generate_OnT5_StreamsWhatTheLibraryGenerates_AndCutsAtAStopString()
    {
        var model = Reference("models", "tiny-t5");
        Mlrb.Eval.Generation.GenerationResult expected;
        using (var generator = Mlrb.Eval.Generation.TextGenerator.Load(model))
        {
            var options = new Mlrb.Eval.Generation.GenerationOptions { MaxNewTokens = 12, StopAtEndOfSequence = false };
            expected = (await generator.GenerateAsync([new Mlrb.Eval.Generation.GenerationRequest("the cat sat on the mat", options)]))[0];
        }

        var (code, stdout, stderr) = CliInvoker.Run("generate", "--model", model, "--prompt", "the cat sat on the mat", "--max-new-tokens", "12", "--ignore-eos");
        Assert.That(code, Is.Zero, stderr);
        Assert.That(expected.Text, Has.Length.GreaterThan(4), "the tiny model produces text for this prompt");
        Assert.That(stdout, Is.EqualTo(expected.Text + Environment.NewLine));
        Assert.That(stderr, Does.Match(@"1 prompt\(s\), 12 tokens generated in [0-9.]+ s: [0-9.]+ tokens/s"));

        // A stop string taken from the middle of the output: the JSON text ends just before its first occurrence.
        var stop = expected.Text.Substring(expected.Text.Length / 2, 2);
        (code, stdout, stderr) = CliInvoker.Run("generate", "--model", model, "--prompt", "the cat sat on the mat", "--max-new-tokens", "12", "--ignore-eos", "--stop", stop, "--json");
        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("text").GetString(), Is.EqualTo(expected.Text[..expected.Text.IndexOf(stop, StringComparison.Ordinal)]));
        Assert.That(json.RootElement.GetProperty("finish_reason").GetString(), Is.EqualTo("stop_sequence"));
        Assert.That(json.RootElement.GetProperty("prompt_tokens").GetInt32(), Is.EqualTo(expected.PromptTokenCount));
    }
}
