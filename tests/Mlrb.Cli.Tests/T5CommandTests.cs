using System.CommandLine;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>mlrb score</c> and <c>mlrb stats</c> on the tiny FLAN-T5 reference (golden from tests/reference/t5.py).</summary>
public class T5CommandTests
{
    private static string Reference(string kind, string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", kind, name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApplication.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public void Score_Text_OnFlanT5_FollowsTheSeq2SeqRule()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference("golden", "tiny-flan-t5.json")));
        var golden = doc.RootElement.GetProperty("text_requests")[1];

        var (code, stdout, stderr) = Run("score", "--model", Reference("models", "tiny-flan-t5"), "--context", golden.GetProperty("context").GetString()!,
            "--continuation", golden.GetProperty("continuation").GetString()!, "--json");

        Assert.That(code, Is.Zero, stderr);
        using var result = JsonDocument.Parse(stdout);
        Assert.That(result.RootElement.GetProperty("loglikelihood").GetDouble(), Is.EqualTo(golden.GetProperty("loglikelihood").GetDouble()).Within(1e-4));
        Assert.That(result.RootElement.GetProperty("context_tokens").GetInt32(), Is.EqualTo(golden.GetProperty("context_tokens").GetArrayLength()));
    }

    [Test]
    public void Stats_OnT5_RunsAForwardPass()
    {
        var (code, stdout, stderr) = Run("stats", "--model", Reference("models", "tiny-t5"), "--json");

        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("forward").GetString(), Does.StartWith("one forward pass"));
    }

    [Test]
    public void Generate_OnT5_IsAOneLineError()
    {
        var (code, _, stderr) = Run("generate", "--model", Reference("models", "tiny-t5"), "--prompt", "the cat");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("encoder-decoder"));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }
}
