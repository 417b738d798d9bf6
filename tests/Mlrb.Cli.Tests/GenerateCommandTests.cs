using System.CommandLine;
using System.Text.Json;
using Mlrb.Eval.Generation;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

public class GenerateCommandTests
{
    private static readonly string Model = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");

    private static async Task<GenerationResult> LibraryAsync(string prompt, GenerationOptions options)
    {
        using var generator = TextGenerator.Load(Model);
        return (await generator.GenerateAsync([new GenerationRequest(prompt, options)]))[0];
    }

    [Test]
    public async Task Prompt_StreamsTheTextTheLibraryGenerates_AndReportsTokensPerSecond()
    {
        var (code, stdout, stderr) = CliInvoker.Run("generate", "--model", Model, "--prompt", "the cat sat", "--max-new-tokens", "12", "--ignore-eos");
        Assert.That(code, Is.Zero, stderr);
        var expected = await LibraryAsync("the cat sat", new GenerationOptions { MaxNewTokens = 12, StopAtEndOfSequence = false });
        Assert.That(stdout, Is.EqualTo(expected.Text + Environment.NewLine));
        Assert.That(stderr, Does.Match(@"1 prompt\(s\), 12 tokens generated in [0-9.]+ s: [0-9.]+ tokens/s"));
    }

    [Test]
    public async Task PromptsFile_GivesOneJsonLinePerPrompt_WithIds_SampledDeterministically()
    {
        var dir = TestPaths.CreateTempDirectory("mlrb-gen-cli");
        try
        {
            var file = Path.Combine(dir, "p.jsonl");
            File.WriteAllLines(file, ["{\"id\": 7, \"prompt\": \"the dog\"}", "", "{\"id\": \"b\", \"prompt\": \"she said\"}"]);
            string[] args = ["generate", "--model", Model, "--prompts", file, "--max-new-tokens", "6", "--temperature", "0.9", "--seed", "11", "--ignore-eos"];
            var (code, stdout, stderr) = CliInvoker.Run(args);
            Assert.That(code, Is.Zero, stderr);
            var lines = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.That(lines, Has.Count.EqualTo(2));
            Assert.That(lines[0].GetProperty("id").GetInt32(), Is.EqualTo(7));
            Assert.That(lines[1].GetProperty("id").GetString(), Is.EqualTo("b"));
            Assert.That(lines[1].GetProperty("generated_tokens").GetInt32(), Is.EqualTo(6));
            var expected = await LibraryAsync("she said", new GenerationOptions { MaxNewTokens = 6, Temperature = 0.9, Seed = 11, StopAtEndOfSequence = false });
            Assert.That(lines[1].GetProperty("text").GetString(), Is.EqualTo(expected.Text));
            var again = CliInvoker.Run(args).Out.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString());
            Assert.That(again, Is.EqualTo(lines.Select(l => l.GetProperty("text").GetString())), "same seed, same output");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Json_WithAStop_NamesTheFinishReason()
    {
        var (code, stdout, stderr) = CliInvoker.Run("generate", "--model", Model, "--prompt", "the cat sat", "--max-new-tokens", "3", "--json", "--stop", "zzz");
        Assert.That(code, Is.Zero, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.That(json.GetProperty("finish_reason").GetString(), Is.AnyOf("max_tokens", "end_of_sequence"));
        Assert.That(json.GetProperty("prompt_tokens").GetInt32(), Is.GreaterThan(0));
    }

    [TestCase(new[] { "--max-new-tokens", "4" }, "give either --prompt")]
    [TestCase(new[] { "--prompt", "x", "--prompts", "y" }, "give either --prompt")]
    [TestCase(new[] { "--prompt", "x", "--top-p", "1.5" }, "--top-p")]
    [TestCase(new[] { "--prompt", "x", "--max-new-tokens", "-1" }, "--max-new-tokens")]
    public void BadArguments_ExitTwo_WithOneLine(string[] extra, string message)
    {
        var (code, _, stderr) = CliInvoker.Run(["generate", "--model", Model, .. extra]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain(message));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void MissingModel_AndAdapter_AreOneLineErrors()
    {
        var (code, _, stderr) = CliInvoker.Run("generate", "--model", "/nonexistent/model", "--prompt", "x");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("/nonexistent/model"));
        (code, _, stderr) = CliInvoker.Run("generate", "--model", Model, "--adapter", "/tmp/a", "--prompt", "x");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("--adapter"));
    }

    [Test]
    public void PromptTooLong_IsARequestError()
    {
        var (code, _, stderr) = CliInvoker.Run("generate", "--model", Model, "--prompt", string.Concat(Enumerable.Repeat("x y ", 60)));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("context of 48"));
    }
}
