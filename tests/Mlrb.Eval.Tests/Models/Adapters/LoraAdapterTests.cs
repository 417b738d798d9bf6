using System.Text.Json.Nodes;
using Mlrb.Eval.Models;
using Mlrb.Eval.Models.Adapters;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Tests.Scoring;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Models.Adapters;

/// <summary>PEFT LoRA adapters merged at load, against log-likelihoods of the adapter merged in PyTorch (tests/reference/generate.py).</summary>
public class LoraAdapterTests
{
    private const double Tolerance = 1e-4;

    /// <summary>Adapter folder and its base: Llama (nn.Linear, alpha/r) and GPT-2 (Conv1D fan_in_fan_out, rsLoRA, modules_to_save).</summary>
    public static readonly object[] Pairs =
    [
        new object[] { "tiny-llama-lora", "tiny-llama" },
        new object[] { "tiny-gpt2-lora", "tiny-gpt2" },
    ];

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-lora");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    public static string AdapterPath(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "adapters", name);

    [TestCaseSource(nameof(Pairs))]
    public async Task TokenRequests_AdapterMergedAtLoad_MatchThePyTorchMerge(string adapter, string baseModel)
    {
        var golden = GoldenFile.Read(adapter);
        var requests = golden.TokenRequests.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList();

        var merged = await ModelScorer.Load(GoldenFile.ModelPath(baseModel), new ModelScorerOptions { Adapter = AdapterPath(adapter) }).ScoreTokensAsync(requests);
        var plain = await ModelScorer.Load(GoldenFile.ModelPath(baseModel)).ScoreTokensAsync(requests);

        AssertMatches(merged, golden.TokenRequests);
        Assert.That(Enumerable.Range(0, requests.Count).Max(i => Math.Abs(plain[i].LogLikelihood - golden.TokenRequests[i].LogLikelihood)), Is.GreaterThan(0.05),
            "the adapter must change the scores, or this test could not tell a merged adapter from an ignored one");
    }

    [TestCaseSource(nameof(Pairs))]
    public async Task TextRequests_WithTheBaseTokenizer_MatchThePyTorchMerge(string adapter, string baseModel)
    {
        var golden = GoldenFile.Read(adapter);
        var scorer = ModelScorer.Load(GoldenFile.ModelPath(baseModel), new ModelScorerOptions { Adapter = AdapterPath(adapter), MaxBatchTokens = 9, Threads = 1 });

        var results = await scorer.ScoreAsync(golden.TextRequests.Select(r => new LogLikelihoodRequest(r.ContextText, r.ContinuationText)).ToList());

        AssertMatches(results, golden.TextRequests);
    }

    [Test]
    public async Task Gpt2CheckpointWithoutTheTransformerPrefix_StillReceivesTheAdapter()
    {
        var source = GoldenFile.ModelPath("tiny-gpt2");
        foreach (var f in Directory.EnumerateFiles(source).Where(f => !f.EndsWith(".safetensors", StringComparison.Ordinal)))
        {
            File.Copy(f, Path.Combine(_dir, Path.GetFileName(f)));
        }

        SafetensorsFixture.Rename(Path.Combine(source, "model.safetensors"), Path.Combine(_dir, "model.safetensors"),
            n => n.StartsWith("transformer.", StringComparison.Ordinal) ? n["transformer.".Length..] : n);
        var golden = GoldenFile.Read("tiny-gpt2-lora");

        var results = await ModelScorer.Load(_dir, new ModelScorerOptions { Adapter = AdapterPath("tiny-gpt2-lora") })
            .ScoreTokensAsync(golden.TokenRequests.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList());

        AssertMatches(results, golden.TokenRequests);
    }

    [Test]
    public async Task EmbeddingLora_WithRankPattern_EqualsTheBaseWithTheMergedEmbedding()
    {
        // An embedding LoRA of rank 3 (rank_pattern overrides r = 8): PEFT's delta is (B·A)ᵀ · alpha / 3. The expected model is the base
        // with that sum written into its (tied) embedding by this test.
        var basePath = GoldenFile.ModelPath("tiny-llama");
        var weights = SafetensorsFixture.ReadAll(Path.Combine(basePath, "model.safetensors"));
        var (embShape, emb) = weights["model.embed_tokens.weight"];
        int vocab = embShape[0], width = embShape[1], rank = 3;
        var random = new Random(7);
        var a = Enumerable.Range(0, rank * vocab).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, width * rank).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var adapter = Path.Combine(_dir, "adapter");
        Directory.CreateDirectory(adapter);
        File.WriteAllText(Path.Combine(adapter, "adapter_config.json"),
            """{"peft_type": "LORA", "r": 8, "lora_alpha": 6, "rank_pattern": {"embed_tokens": 3}, "target_modules": ["embed_tokens"], "use_dora": false}""");
        SafetensorsFixture.WriteF32(Path.Combine(adapter, "adapter_model.safetensors"), new Dictionary<string, (int[], float[])>
        {
            ["base_model.model.model.embed_tokens.lora_embedding_A"] = ([rank, vocab], a),
            ["base_model.model.model.embed_tokens.lora_embedding_B"] = ([width, rank], b),
        });
        var merged = (float[])emb.Clone();
        for (var v = 0; v < vocab; v++)
        {
            for (var d = 0; d < width; d++)
            {
                double sum = 0;
                for (var k = 0; k < rank; k++)
                {
                    sum += b[(d * rank) + k] * a[(k * vocab) + v];
                }

                merged[(v * width) + d] += (float)(sum * 6 / rank);
            }
        }

        var expectedFolder = Path.Combine(_dir, "merged");
        Directory.CreateDirectory(expectedFolder);
        File.Copy(Path.Combine(basePath, "config.json"), Path.Combine(expectedFolder, "config.json"));
        weights["model.embed_tokens.weight"] = (embShape, merged);
        SafetensorsFixture.WriteF32(Path.Combine(expectedFolder, "model.safetensors"), weights);
        var requests = GoldenFile.Read("tiny-llama").TokenRequests.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList();

        var withAdapter = await ModelScorer.Load(basePath, new ModelScorerOptions { Adapter = adapter }).ScoreTokensAsync(requests);
        var expected = await ModelScorer.Load(expectedFolder).ScoreTokensAsync(requests);
        var plain = await ModelScorer.Load(basePath).ScoreTokensAsync(requests);

        for (var i = 0; i < requests.Count; i++)
        {
            Assert.That(withAdapter[i].LogLikelihood, Is.EqualTo(expected[i].LogLikelihood).Within(Tolerance), $"request {i}");
        }

        Assert.That(Enumerable.Range(0, requests.Count).Max(i => Math.Abs(plain[i].LogLikelihood - expected[i].LogLikelihood)), Is.GreaterThan(0.05));
    }

    [TestCase("use_dora", "true", "DoRA")]
    [TestCase("peft_type", "\"IA3\"", "IA3")]
    [TestCase("alpha_pattern", "{\"q_proj\": 16}", "alpha_pattern")]
    [TestCase("lora_bias", "true", "lora_bias")]
    [TestCase("layer_replication", "[[0, 2]]", "layer_replication")]
    [TestCase("r", "0", "'r'")]
    public void ConfigurationTheEngineCannotHonour_IsAClearError(string field, string value, string expected)
    {
        var adapter = CopyAdapter("tiny-llama-lora");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(adapter, "adapter_config.json")))!.AsObject();
        config[field] = JsonNode.Parse(value);
        File.WriteAllText(Path.Combine(adapter, "adapter_config.json"), config.ToJsonString());

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(GoldenFile.ModelPath("tiny-llama"), new ModelScorerOptions { Adapter = adapter }));

        Assert.That(ex!.Message, Does.Contain(expected).And.Contain("adapter_config.json").And.Not.Contain("\n"));
    }

    [Test]
    public void AdapterForAnotherBase_IsRefused_NotSilentlyIgnored()
    {
        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(GoldenFile.ModelPath("tiny-llama"), new ModelScorerOptions { Adapter = AdapterPath("tiny-gpt2-lora") }));

        Assert.That(ex!.Message, Does.Contain("matches no weight of the base model"));
    }

    [Test]
    public void AdapterWithAFactorMissing_OrOnlyAPickle_OrNoFolder_IsAClearError()
    {
        var adapter = Path.Combine(_dir, "one-factor");
        Directory.CreateDirectory(adapter);
        File.WriteAllText(Path.Combine(adapter, "adapter_config.json"), """{"peft_type": "LORA", "r": 2, "lora_alpha": 4}""");
        SafetensorsFixture.WriteF32(Path.Combine(adapter, "adapter_model.safetensors"), new Dictionary<string, (int[], float[])>
        {
            ["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"] = ([2, 32], new float[64]),
        });
        var pickle = Path.Combine(_dir, "pickle");
        Directory.CreateDirectory(pickle);
        File.Copy(Path.Combine(adapter, "adapter_config.json"), Path.Combine(pickle, "adapter_config.json"));
        File.WriteAllBytes(Path.Combine(pickle, "adapter_model.bin"), [0x80, 0x02]);
        var baseModel = GoldenFile.ModelPath("tiny-llama");

        Assert.Multiple(() =>
        {
            Assert.That(() => ModelScorer.Load(baseModel, new ModelScorerOptions { Adapter = adapter }),
                Throws.TypeOf<ModelFormatException>().With.Message.Contain("only one of its two LoRA factors"));
            Assert.That(() => ModelScorer.Load(baseModel, new ModelScorerOptions { Adapter = pickle }),
                Throws.TypeOf<ModelFormatException>().With.Message.Contain("pickle"));
            Assert.That(() => ModelScorer.Load(baseModel, new ModelScorerOptions { Adapter = Path.Combine(_dir, "absent") }),
                Throws.TypeOf<ModelFormatException>().With.Message.Contain("adapter folder not found"));
        });
    }

    [Test]
    public void Inspect_CountsTheAdapterParameters_AndReadsItsConfig()
    {
        var stats = AdapterFolder.Inspect(AdapterPath("tiny-gpt2-lora"));
        var tensors = SafetensorsFixture.ReadAll(Path.Combine(AdapterPath("tiny-gpt2-lora"), "adapter_model.safetensors"));

        Assert.Multiple(() =>
        {
            Assert.That(stats.Parameters, Is.EqualTo(tensors.Values.Sum(t => (long)t.Values.Length)));
            Assert.That(stats.LoraModules, Is.EqualTo(4));
            Assert.That(stats.Rank, Is.EqualTo(2));
            Assert.That(stats.UseRsLora, Is.True);
            Assert.That(stats.ModulesToSave, Is.EqualTo(new[] { "ln_f" }));
            Assert.That(stats.BaseModel, Is.EqualTo("tiny-gpt2"));
            Assert.That(AdapterFolder.IsAdapter(AdapterPath("tiny-gpt2-lora")), Is.True);
            Assert.That(AdapterFolder.IsAdapter(GoldenFile.ModelPath("tiny-gpt2")), Is.False);
        });
    }

    private string CopyAdapter(string name)
    {
        var target = Path.Combine(_dir, name);
        Directory.CreateDirectory(target);
        foreach (var f in Directory.EnumerateFiles(AdapterPath(name)))
        {
            File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }

        return target;
    }

    private static void AssertMatches(IReadOnlyList<LogLikelihoodResult> results, List<GoldenRequest> golden)
    {
        Assert.That(results, Has.Count.EqualTo(golden.Count));
        for (var i = 0; i < results.Count; i++)
        {
            var g = golden[i];
            Assert.Multiple(() =>
            {
                Assert.That(results[i].LogLikelihood, Is.EqualTo(g.LogLikelihood).Within(Tolerance), $"request {i}");
                Assert.That(results[i].IsGreedy, Is.EqualTo(g.IsGreedy), $"greedy flag of request {i}");
            });
        }
    }
}
