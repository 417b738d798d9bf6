using System.CommandLine;
using System.Text.Json.Nodes;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>mlrb eval --shard I/N</c> and <c>mlrb eval merge</c>: sharded + merged equals unsharded, bit for bit.</summary>
[NonParallelizable]
public class EvalShardTests
{
    private static readonly string TinyGpt2 = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");
    private static readonly string Samples = Path.Combine(TestPaths.RepositoryRoot, "samples", "data");
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-cli-shard");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    public void Samples_Blimp_ShardedAndMerged_EqualsUnsharded(int shards)
        => AssertMergedEqualsUnsharded(["--benchmark", "blimp", "--model", TinyGpt2, "--data", Samples, "--limit", "7"], shards);

    [TestCase("mmlu", 1)]
    [TestCase("mmlu", 2)]
    [TestCase("mmlu", 3)]
    [TestCase("mmlu", 7)]
    [TestCase("superglue", 1)]
    [TestCase("superglue", 2)]
    [TestCase("superglue", 3)]
    [TestCase("superglue", 7)]
    public void SharedSlices_ShardedAndMerged_EqualsUnsharded(string benchmark, int shards)
    {
        var data = Path.GetDirectoryName(TestPaths.RequireSharedData(Path.Combine("benchmarks", benchmark)))!;
        AssertMergedEqualsUnsharded(["--benchmark", benchmark, "--model", TinyGpt2, "--data", data, "--limit", "3"], shards);
    }

    [Test]
    public void SharedSlices_Task_OnTwoBenchmarks_ShardedAndMerged_EqualsUnsharded()
    {
        // edge_llm_training is scored on SuperGLUE and MMLU: the merge must rebuild the task's combined report too.
        var data = Path.GetDirectoryName(TestPaths.RequireSharedData(Path.Combine("benchmarks", "superglue")))!;
        AssertMergedEqualsUnsharded(["--task", "edge_llm_training", "--model", TinyGpt2, "--data", data, "--limit", "2"], 3);
    }

    [Test]
    public void Shard_ScoresADisjointThirdOfTheDocuments_WholeDocumentsOnly()
    {
        var files = Shards(["--benchmark", "blimp", "--model", TinyGpt2, "--data", Samples, "--limit", "7"], 3, "s");
        var perShard = files.Select(f => JsonNode.Parse(File.ReadAllText(f))!["shard"]!["predictions"]!.AsArray()
            .Select(p => (p!["subtask"]!.GetValue<string>(), p["index"]!.GetValue<int>(), p["loglikelihoods"]!.AsArray().Count)).ToList()).ToList();
        var all = perShard.SelectMany(p => p).ToList();
        Assert.That(all.Select(p => (p.Item1, p.Item2)), Is.Unique);
        Assert.That(all.Select(p => p.Item3), Is.All.EqualTo(2), "every BLiMP document keeps both of its sentences in one shard");
        Assert.That(perShard.Select(p => p.Count).Max() - perShard.Select(p => p.Count).Min(), Is.LessThanOrEqualTo(perShard[0].Select(p => p.Item1).Distinct().Count()));
        var report = JsonNode.Parse(File.ReadAllText(files[1]))!;
        Assert.That(report["partial"]!.GetValue<bool>(), Is.True);
        Assert.That(report["shard"]!["count"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(report["shard"]!["model_sha256"]!.GetValue<string>(), Has.Length.EqualTo(64));
        Assert.That(report["shard"]!["data_sha256"]!.GetValue<string>(), Has.Length.EqualTo(64));
    }

    [TestCase("2/2")]
    [TestCase("x")]
    [TestCase("-1/2")]
    [TestCase("1/0")]
    [TestCase("1/2/3")]
    public void BadShard_GivesAOneLineError(string shard)
    {
        var (code, _, stderr) = CliInvoker.Run("eval", "--benchmark", "blimp", "--model", TinyGpt2, "--data", Samples, "--shard", shard, "--out", _dir);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.StartWith("mlrb eval: --shard must be I/N"));
    }

    [Test]
    public void Merge_RefusesMissingDuplicateAndMismatchedShards()
    {
        string[] args = ["--benchmark", "blimp", "--model", TinyGpt2, "--data", Samples, "--limit", "5"];
        var good = Shards(args, 2, "good");

        AssertRefused([good[0]], "missing shard(s) 1/2");
        var copy = Path.Combine(_dir, "copy.json");
        File.Copy(good[0], copy);
        AssertRefused([good[0], copy, good[1]], "duplicate shard 0/2");

        var otherLimit = Shards(["--benchmark", "blimp", "--model", TinyGpt2, "--data", Samples, "--limit", "4"], 2, "limit");
        AssertRefused([good[0], otherLimit[1]], "shards differ in option limit");

        var otherModel = Path.Combine(_dir, "other-model");
        Directory.CreateDirectory(otherModel);
        foreach (var file in Directory.GetFiles(TinyGpt2))
        {
            File.Copy(file, Path.Combine(otherModel, Path.GetFileName(file)));
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(otherModel, "config.json")))!.AsObject();
        config["mlrb_test_note"] = "a different model folder";
        File.WriteAllText(Path.Combine(otherModel, "config.json"), config.ToJsonString());
        var modelShards = Shards(["--benchmark", "blimp", "--model", otherModel, "--data", Samples, "--limit", "5"], 2, "model");
        AssertRefused([good[0], modelShards[1]], "shards differ in model (sha256)");

        var threeWay = Shards(args, 3, "three");
        AssertRefused([good[0], threeWay[1]], "shards differ in shard count");

        var unsharded = Path.Combine(_dir, "u");
        Assert.That(CliInvoker.Run(["eval", .. args, "--out", unsharded]).Code, Is.Zero);
        AssertRefused([good[0], Directory.GetFiles(unsharded, "*Z.json").Single()], "is not a partial report");
    }

    private void AssertRefused(string[] files, string message)
    {
        var (code, _, stderr) = CliInvoker.Run(["eval", "merge", .. files, "--output", Path.Combine(_dir, "refused")]);
        Assert.That(code, Is.EqualTo(1), stderr);
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(stderr, Does.StartWith("mlrb eval merge: ").And.Contain(message));
        Assert.That(Directory.Exists(Path.Combine(_dir, "refused")) && Directory.EnumerateFiles(Path.Combine(_dir, "refused")).Any(), Is.False, "a refused merge writes nothing");
    }

    private List<string> Shards(string[] args, int count, string folder)
    {
        var output = Path.Combine(_dir, folder);
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (code, _, stderr) = CliInvoker.Run(["eval", .. args, "--shard", $"{i}/{count}", "--out", output, "--json"]);
            Assert.That(code, Is.Zero, stderr);
            files.Add(Path.Combine(output, Directory.GetFiles(output, $"*.shard-{i}-of-{count}.json").Single()));
        }

        return files;
    }

    private void AssertMergedEqualsUnsharded(string[] args, int shards)
    {
        var unsharded = Path.Combine(_dir, "unsharded");
        var (code, _, stderr) = CliInvoker.Run(["eval", .. args, "--out", unsharded, "--json"]);
        Assert.That(code, Is.Zero, stderr);

        var files = Shards(args, shards, "shards");
        var merged = Path.Combine(_dir, "merged");
        (code, _, stderr) = CliInvoker.Run(["eval", "merge", .. files.AsEnumerable().Reverse(), "--output", merged, "--json"]);
        Assert.That(code, Is.Zero, stderr);

        var expected = Comparable(Directory.GetFiles(unsharded, "*Z.json").Single());
        var actual = Comparable(Directory.GetFiles(merged, "*Z.json").Single());
        Assert.That(expected["aggregates"]!.AsArray(), Is.Not.Empty);
        Assert.That(JsonNode.DeepEquals(expected, actual), Is.True, $"merged report differs:\n{actual.ToJsonString()}\nunsharded:\n{expected.ToJsonString()}");
        var expectedPredictions = File.ReadAllText(Directory.GetFiles(unsharded, "*.predictions.jsonl").Single());
        Assert.That(File.ReadAllText(Directory.GetFiles(merged, "*.predictions.jsonl").Single()), Is.EqualTo(expectedPredictions));
        Assert.That(expectedPredictions.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThan(shards));
    }

    /// <summary>The report without what differs between any two runs (timing, memory, throughput).</summary>
    private static JsonObject Comparable(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove("timing");
        var statistics = json["statistics"]!.AsObject();
        statistics.Remove("peak_process_memory_bytes");
        statistics.Remove("tokens_per_second");
        statistics.Remove("memory_within_limit");
        return json;
    }
}
