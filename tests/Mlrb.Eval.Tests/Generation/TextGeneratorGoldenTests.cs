using Mlrb.Eval.Generation;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Generation;

/// <summary>
/// Incremental decoding (KV cache, continuous batching, chunked prefill) against greedy continuations from the PyTorch
/// reference, which recomputes the whole sequence at every step (tests/reference/generation.py).
/// </summary>
public class TextGeneratorGoldenTests
{
    public static IEnumerable<TestCaseData> Models()
    {
        foreach (var model in AllModels())
        {
            yield return new TestCaseData(model, new TextGeneratorOptions()).SetArgDisplayNames(model, "batched");
            yield return new TestCaseData(model, new TextGeneratorOptions { MaxBatchSequences = 1, Threads = 1 }).SetArgDisplayNames(model, "one-at-a-time");
            yield return new TestCaseData(model, new TextGeneratorOptions { MaxBatchSequences = 4, MaxStepTokens = 5 }).SetArgDisplayNames(model, "chunked-prefill");
        }
    }

    /// <summary>Every model with a generation golden: each tiny model under tests/reference/models, plus the shared llama2xs.</summary>
    public static IEnumerable<string> AllModels() =>
        Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "golden"), "generation-*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f)["generation-".Length..])
            .Order(StringComparer.Ordinal);

    /// <summary>The tiny models with a byte-level tokenizer, for which the reference wrote decoded text and stop cases.</summary>
    public static IEnumerable<string> TinyModels() => AllModels().Where(m => m.StartsWith("tiny-", StringComparison.Ordinal));

    [Test]
    public void EveryTinyReferenceModel_HasAGenerationGolden()
    {
        var folders = Directory.GetDirectories(Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models")).Select(Path.GetFileName);
        Assert.That(AllModels(), Is.SupersetOf(folders), "run /usr/bin/python3 tests/reference/generation.py after adding a model");
        Assert.That(AllModels(), Is.SupersetOf(new[] { "tiny-gemma", "tiny-gemma2", "tiny-phi", "tiny-phi3-longrope", "tiny-neox-parallel", "tiny-opt", "tiny-mistral-window", "tiny-t5", "tiny-flan-t5" }));
    }

    private static readonly GenerationOptions NoEos = new() { MaxNewTokens = 16, StopAtEndOfSequence = false };

    [TestCaseSource(nameof(Models))]
    public async Task Greedy_MatchesTheReference_TokenForToken(string model, TextGeneratorOptions options)
    {
        var golden = GenerationGolden.Read(model);
        using var generator = TextGenerator.Load(golden.ModelPath, options);
        var results = await generator.GenerateAsync(golden.Greedy.Select(c => new GenerationRequest(c.Prompt, NoEos with { MaxNewTokens = golden.NewTokens })).ToList());

        for (var i = 0; i < results.Count; i++)
        {
            Assert.That(results[i].TokenIds, Is.EqualTo(golden.Greedy[i].Tokens), $"case {i}");
            Assert.That(results[i].FinishReason, Is.EqualTo(GenerationFinishReason.MaxTokens));
            Assert.That(results[i].PromptTokenCount, Is.EqualTo(golden.Greedy[i].Prompt.Length));
            if (golden.Greedy[i].Text is { } text)
            {
                Assert.That(results[i].Text, Is.EqualTo(text), $"case {i}: decoded text");
            }
        }
    }

    [TestCaseSource(nameof(AllModels))]
    public async Task ContextFull_EndsWhenTheModelsPositionsRunOut(string model)
    {
        var golden = GenerationGolden.Read(model);
        using var generator = TextGenerator.Load(golden.ModelPath, new TextGeneratorOptions { MaxLength = golden.ContextFull.MaxLength });
        var result = (await generator.GenerateAsync([new GenerationRequest(golden.ContextFull.Prompt, NoEos)]))[0];
        Assert.That(result.TokenIds, Is.EqualTo(golden.ContextFull.Tokens));
        Assert.That(result.FinishReason, Is.EqualTo(GenerationFinishReason.ContextFull));
    }

    [TestCaseSource(nameof(TinyModels))]
    public async Task StopStringsSpanningTokens_CutTheTextWhereTheHarnessDoes(string model)
    {
        var golden = GenerationGolden.Read(model);
        Assert.That(golden.StopCases, Is.Not.Empty, "the reference found stop cases");
        using var generator = TextGenerator.Load(golden.ModelPath);
        var requests = golden.StopCases!.Select(c => new GenerationRequest(c.Prompt, NoEos with { StopSequences = ["\u0001never", c.Stop] })).ToList();
        var results = await generator.GenerateAsync(requests);
        for (var i = 0; i < results.Count; i++)
        {
            var c = golden.StopCases![i];
            Assert.Multiple(() =>
            {
                Assert.That(results[i].Text, Is.EqualTo(c.Text), $"stop case {i} ({c.Stop})");
                Assert.That(results[i].FinishReason, Is.EqualTo(GenerationFinishReason.StopSequence));
                Assert.That(results[i].StopSequence, Is.EqualTo(c.Stop));
                Assert.That(results[i].TokenIds, Has.Count.EqualTo(c.TokensUntilStop), "generation stops at the token that completes the stop string");
            });
        }
    }

    [TestCaseSource(nameof(TinyModels))]
    public async Task Streaming_ConcatenatedUpdates_EqualTheResult_AndNeverShowAStopString(string model)
    {
        var golden = GenerationGolden.Read(model);
        using var generator = TextGenerator.Load(golden.ModelPath);
        foreach (var c in golden.StopCases!)
        {
            var streamed = new System.Text.StringBuilder();
            GenerationResult? result = null;
            var updates = 0;
            await foreach (var u in generator.GenerateStreamingAsync(new GenerationRequest(c.Prompt, NoEos with { StopSequences = [c.Stop] })))
            {
                streamed.Append(u.Text);
                Assert.That(streamed.ToString(), Does.Not.Contain(c.Stop));
                result = u.Result ?? result;
                updates++;
            }

            Assert.That(result, Is.Not.Null);
            Assert.That(streamed.ToString(), Is.EqualTo(result!.Text).And.EqualTo(c.Text));
            Assert.That(updates, Is.EqualTo(c.TokensUntilStop), "one update per generated token");
        }
    }

    [TestCaseSource(nameof(TinyModels))]
    public async Task EndOfSequenceInsideABatch_EndsThatSequenceOnly(string model)
    {
        var golden = GenerationGolden.Read(model);

        // Make a greedy token the model's EOS (generation_config.json takes precedence over config.json): the first token that a case
        // generates after at least one other token (and not before) and that some other case never generates, so one batch has
        // sequences that end at it and sequences that run on. Random tiny models repeat tokens, so a fixed position would not do.
        var candidates = golden.Greedy
            .SelectMany(c => Enumerable.Range(1, Math.Max(0, c.Tokens.Length - 1)).Where(p => !c.Tokens.AsSpan(0, p).Contains(c.Tokens[p])).Select(p => c.Tokens[p]))
            .Where(t => golden.Greedy.Any(g => !g.Tokens.Contains(t)))
            .ToList();
        Assert.That(candidates, Is.Not.Empty, "the golden greedy cases offer a token to make the EOS");
        var eos = candidates[0];
        var folder = TestPaths.CreateTempDirectory("mlrb-eos");
        try
        {
            foreach (var file in Directory.GetFiles(golden.ModelPath))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            File.WriteAllText(Path.Combine(folder, "generation_config.json"), $"{{\"eos_token_id\": [{eos}, 100000]}}");
            using var generator = TextGenerator.Load(folder);
            Assert.That(generator.EndOfSequenceTokenIds, Does.Contain(eos));
            var results = await generator.GenerateAsync(golden.Greedy.Select(c => new GenerationRequest(c.Prompt, new GenerationOptions { MaxNewTokens = golden.NewTokens })).ToList());
            var ended = 0;
            for (var i = 0; i < results.Count; i++)
            {
                var expected = golden.Greedy[i].Tokens;
                // The tokenizer's EOS also ends an output (EndOfSequenceIds), so the first of any EOS id counts.
                var at = Array.FindIndex(expected, t => generator.EndOfSequenceTokenIds.Contains(t));
                if (at >= 0)
                {
                    ended++;
                    Assert.That(results[i].TokenIds, Is.EqualTo(expected[..(at + 1)]), $"case {i} ends at its EOS");
                    Assert.That(results[i].FinishReason, Is.EqualTo(GenerationFinishReason.EndOfSequence));
                }
                else
                {
                    Assert.That(results[i].TokenIds, Is.EqualTo(expected), $"case {i} runs on");
                    Assert.That(results[i].FinishReason, Is.EqualTo(GenerationFinishReason.MaxTokens));
                }
            }

            Assert.That(ended, Is.InRange(1, results.Count - 1), "some sequences end at EOS while others in the batch continue");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
