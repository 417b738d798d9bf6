using System.CommandLine;
using System.Text.Json;
using Mlrb.Cli.Commands.Eval;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary>LoRA adapters on the verbs that load a model: <c>--adapter DIR</c>, and <c>--model ADAPTER --base DIR</c>; expected numbers from tests/reference/golden (PyTorch merge).</summary>
[NonParallelizable]
public class AdapterCommandTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-cli-adapter");

    [TearDown]
    public void TearDown()
    {
        ScorerFactory.Override = null;
        Directory.Delete(_dir, recursive: true);
    }

    private static string Reference(string kind, string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", kind, name);

    private static JsonElement Golden(string name, string list, int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference("golden", name + ".json")));
        return doc.RootElement.GetProperty(list)[index].Clone();
    }

    [Test]
    public void Score_WithAdapter_MatchesThePyTorchMerge()
    {
        var golden = Golden("tiny-llama-lora", "token_requests", 0);
        var ctx = string.Join(",", golden.GetProperty("context").EnumerateArray().Select(e => e.GetInt32()));
        var cont = string.Join(",", golden.GetProperty("continuation").EnumerateArray().Select(e => e.GetInt32()));

        var (code, stdout, stderr) = CliInvoker.Run("score", "--model", Reference("models", "tiny-llama"), "--adapter", Reference("adapters", "tiny-llama-lora"),
            "--context-tokens", ctx, "--continuation-tokens", cont, "--json");

        Assert.That(code, Is.Zero, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("loglikelihood").GetDouble(), Is.EqualTo(golden.GetProperty("loglikelihood").GetDouble()).Within(1e-4));
    }

    [Test]
    public void Score_AdapterFolderAsModel_WithBase_MatchesThePyTorchMerge()
    {
        var golden = Golden("tiny-gpt2-lora", "text_requests", 1);

        var (code, stdout, stderr) = CliInvoker.Run("score", "--model", Reference("adapters", "tiny-gpt2-lora"), "--base", Reference("models", "tiny-gpt2"),
            "--context", golden.GetProperty("context").GetString()!, "--continuation", golden.GetProperty("continuation").GetString()!, "--json");

        Assert.That(code, Is.Zero, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("loglikelihood").GetDouble(), Is.EqualTo(golden.GetProperty("loglikelihood").GetDouble()).Within(1e-4));
    }

    [Test]
    public void AdapterFolderAsModel_WithoutABaseItCanFind_IsAOneLineError()
    {
        var (code, _, stderr) = CliInvoker.Run("score", "--model", Reference("adapters", "tiny-gpt2-lora"), "--context-tokens", "1", "--continuation-tokens", "2");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("LoRA adapter folder").And.Contain("--base").And.Contain("tiny-gpt2"));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void AdapterFolderAsModel_FindsALocalBaseNamedInItsConfig()
    {
        // base_model_name_or_path "tiny-gpt2" resolves beside the adapter folder.
        var adapter = Path.Combine(_dir, "my-lora");
        Directory.CreateDirectory(adapter);
        foreach (var f in Directory.EnumerateFiles(Reference("adapters", "tiny-gpt2-lora")))
        {
            File.Copy(f, Path.Combine(adapter, Path.GetFileName(f)));
        }

        var baseCopy = Path.Combine(_dir, "tiny-gpt2");
        Directory.CreateDirectory(baseCopy);
        foreach (var f in Directory.EnumerateFiles(Reference("models", "tiny-gpt2")))
        {
            File.Copy(f, Path.Combine(baseCopy, Path.GetFileName(f)));
        }

        var golden = Golden("tiny-gpt2-lora", "token_requests", 3);
        var ctx = string.Join(",", golden.GetProperty("context").EnumerateArray().Select(e => e.GetInt32()));
        var cont = string.Join(",", golden.GetProperty("continuation").EnumerateArray().Select(e => e.GetInt32()));

        var (code, stdout, stderr) = CliInvoker.Run("score", "--model", adapter, "--context-tokens", ctx, "--continuation-tokens", cont, "--json");

        Assert.That(code, Is.Zero, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("loglikelihood").GetDouble(), Is.EqualTo(golden.GetProperty("loglikelihood").GetDouble()).Within(1e-4));
    }

    [Test]
    public void Stats_ReportsBaseAndAdapterParametersSeparately()
    {
        var adapter = Reference("adapters", "tiny-llama-lora");
        var expectedAdapter = AdapterTensorElements(Path.Combine(adapter, "adapter_model.safetensors"));

        var (code, stdout, stderr) = CliInvoker.Run("stats", "--model", Reference("models", "tiny-llama"), "--adapter", adapter, "--json");
        var (tableCode, table, _) = CliInvoker.Run("stats", "--model", Reference("models", "tiny-llama"), "--adapter", adapter, "--no-forward");

        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("base_parameters").GetInt64(), Is.EqualTo(root.GetProperty("total_parameters").GetInt64()));
            Assert.That(root.GetProperty("adapter").GetProperty("parameters").GetInt64(), Is.EqualTo(expectedAdapter));
            Assert.That(root.GetProperty("adapter").GetProperty("lora_modules").GetInt32(), Is.EqualTo(6));
            Assert.That(root.GetProperty("adapter").GetProperty("r").GetInt32(), Is.EqualTo(4));
            Assert.That(root.GetProperty("forward").GetString(), Does.StartWith("one forward pass"));
            Assert.That(tableCode, Is.Zero);
            Assert.That(table, Does.Contain("Base Parameters").And.Contain("Adapter Parameters").And.Contain(expectedAdapter.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public void Eval_AdapterFolderWithBase_RunsTheMergedModel_AndRecordsTheAdapter()
    {
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(Path.Combine(data, "blimp"));
        File.WriteAllLines(Path.Combine(data, "blimp", "passive_1.jsonl"),
        [
            "{\"sentence_good\": \"the cat sat\", \"sentence_bad\": \"cat the sat\"}",
            "{\"sentence_good\": \"a dog ran\", \"sentence_bad\": \"dog a ran\"}",
        ]);
        var adapter = Reference("adapters", "tiny-gpt2-lora");

        var (code, stdout, stderr) = CliInvoker.Run("eval", "--benchmark", "blimp", "--model", adapter, "--base", Reference("models", "tiny-gpt2"),
            "--data", data, "--out", Path.Combine(_dir, "results"), "--json");

        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        var text = json.RootElement.ToString();
        Assert.That(text, Does.Contain("tiny-gpt2-lora").And.Contain("adapter_sha256"));
    }

    [Test]
    public void Generate_WithAdapter_Runs()
    {
        var (code, stdout, stderr) = CliInvoker.Run("generate", "--model", Reference("models", "tiny-llama"), "--adapter", Reference("adapters", "tiny-llama-lora"),
            "--prompt", "ab", "--max-new-tokens", "3", "--ignore-eos", "--json");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("\"generated_tokens\": 3").Or.Contain("\"generated_tokens\":3"));
    }

    [Test]
    public void AdapterAndBaseTogether_IsAOneLineError()
    {
        var (code, _, stderr) = CliInvoker.Run("score", "--model", Reference("models", "tiny-gpt2"), "--adapter", Reference("adapters", "tiny-gpt2-lora"),
            "--base", Reference("models", "tiny-gpt2"), "--context-tokens", "1", "--continuation-tokens", "2");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("not both"));
    }

    private static long AdapterTensorElements(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BitConverter.ToUInt64(bytes, 0);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, length));
        return header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Sum(p => p.Value.GetProperty("shape").EnumerateArray().Aggregate(1L, (a, d) => a * d.GetInt32()));
    }
}
