using Mlrb.Eval.Generation;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Tests.Scoring;

namespace Mlrb.Eval.Tests.Generation;

public class TextGeneratorTests
{
    private static readonly string Gpt2 = GoldenFile.ModelPath("tiny-gpt2");
    private static readonly string Llama = GoldenFile.ModelPath("tiny-llama");

    [Test]
    public async Task Sampling_WithASeed_IsTheSameAloneOrInABatch_AndAnotherSeedDiffers()
    {
        using var generator = TextGenerator.Load(Gpt2);
        var options = new GenerationOptions { MaxNewTokens = 12, Temperature = 0.9, TopP = 0.95, TopK = 50, Seed = 42, StopAtEndOfSequence = false };
        var alone = (await generator.GenerateAsync([new GenerationRequest("the cat sat", options)]))[0];
        var batch = await generator.GenerateAsync(
        [
            new GenerationRequest("the dog ate the bone", options with { Seed = 1 }),
            new GenerationRequest("the cat sat", options),
            new GenerationRequest("she said", options with { Seed = 3 }),
        ]);
        var other = (await generator.GenerateAsync([new GenerationRequest("the cat sat", options with { Seed = 43 })]))[0];
        Assert.That(batch[1].TokenIds, Is.EqualTo(alone.TokenIds));
        Assert.That(batch[1].Text, Is.EqualTo(alone.Text));
        Assert.That(other.TokenIds, Is.Not.EqualTo(alone.TokenIds));
    }

    [Test]
    public async Task Logprobs_OfGeneratedTokens_EqualTheScorersLogLikelihood()
    {
        using var generator = TextGenerator.Load(Llama);
        var prompt = new[] { 296, 10, 20, 30, 40 };
        var result = (await generator.GenerateAsync([new GenerationRequest(prompt, new GenerationOptions { MaxNewTokens = 6, StopAtEndOfSequence = false, Logprobs = 3 })]))[0];
        var scorer = ModelScorer.Load(Llama);
        var scored = (await scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest(prompt, result.TokenIds.ToArray())]))[0];

        Assert.That(result.Logprobs!.Sum(l => l.Logprob), Is.EqualTo(scored.LogLikelihood).Within(1e-5));
        Assert.That(scored.IsGreedy, Is.True, "greedy decoding picks the argmax");
        foreach (var l in result.Logprobs!)
        {
            Assert.That(l.TopLogprobs, Has.Count.EqualTo(3));
            Assert.That(l.TopLogprobs[0].TokenId, Is.EqualTo(l.TokenId));
            Assert.That(l.TopLogprobs[0].Logprob, Is.EqualTo(l.Logprob));
        }
    }

    [Test]
    public async Task ScoreTokens_EachTokenGivenItsPrefix_EqualsTheScorer()
    {
        using var generator = TextGenerator.Load(Gpt2);
        var tokens = new[] { 296, 5, 80, 81, 200, 13, 7 };
        var scored = await generator.ScoreTokensAsync(tokens, 2);
        Assert.That(scored[0], Is.Null);
        var scorer = ModelScorer.Load(Gpt2);
        var whole = (await scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest(tokens[..2], tokens[2..])]))[0];
        Assert.That(scored.Skip(2).Sum(s => s!.Logprob), Is.EqualTo(whole.LogLikelihood).Within(1e-5));
        Assert.That(scored[3]!.TokenId, Is.EqualTo(81));
        Assert.That(scored[3]!.TopLogprobs, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task MaxNewTokensZero_ReturnsAtOnce()
    {
        using var generator = TextGenerator.Load(Gpt2);
        var result = (await generator.GenerateAsync([new GenerationRequest("the cat", new GenerationOptions { MaxNewTokens = 0 })]))[0];
        Assert.That(result.TokenIds, Is.Empty);
        Assert.That(result.Text, Is.Empty);
        Assert.That(result.FinishReason, Is.EqualTo(GenerationFinishReason.MaxTokens));
    }

    [Test]
    public async Task EmptyPrompt_StartsFromBos()
    {
        using var generator = TextGenerator.Load(Llama);
        var fromEmpty = (await generator.GenerateAsync([new GenerationRequest("", new GenerationOptions { MaxNewTokens = 4, StopAtEndOfSequence = false, AddSpecialTokens = false })]))[0];
        var fromBos = (await generator.GenerateAsync([new GenerationRequest([296], new GenerationOptions { MaxNewTokens = 4, StopAtEndOfSequence = false })]))[0];
        Assert.That(fromEmpty.TokenIds, Is.EqualTo(fromBos.TokenIds));
        Assert.That(fromEmpty.PromptTokenCount, Is.EqualTo(1));
    }

    [Test]
    public async Task HarnessOptions_LeftTruncateTheContext_ToMaxLengthMinusMaxGenToks()
    {
        using var generator = TextGenerator.Load(Llama); // 40 positions
        var prompt = Enumerable.Range(1, 50).ToArray();
        var options = GenerationOptions.HarnessGenerateUntil(["\n\n"], maxGenerationTokens: 8) with { StopAtEndOfSequence = false };
        var result = (await generator.GenerateAsync([new GenerationRequest(prompt, options)]))[0];
        Assert.That(result.PromptTokenCount, Is.EqualTo(32));
        Assert.That(result.TruncatedPromptTokens, Is.EqualTo(18));

        var same = (await generator.GenerateAsync([new GenerationRequest(prompt[18..], new GenerationOptions { MaxNewTokens = 8, StopAtEndOfSequence = false, StopSequences = ["\n\n"] })]))[0];
        Assert.That(result.TokenIds, Is.EqualTo(same.TokenIds));
    }

    [Test]
    public async Task HarnessOptions_EncodeWithoutSpecialTokens()
    {
        using var generator = TextGenerator.Load(Llama); // its tokenizer adds <s>
        var harness = (await generator.GenerateAsync([new GenerationRequest("the cat", GenerationOptions.HarnessGenerateUntil([], 2))]))[0];
        var plain = (await generator.GenerateAsync([new GenerationRequest("the cat", new GenerationOptions { MaxNewTokens = 2 })]))[0];
        Assert.That(plain.PromptTokenCount, Is.EqualTo(harness.PromptTokenCount + 1));
    }

    [Test]
    public void BadRequests_AreArgumentErrors_ThatNameTheRequest()
    {
        using var generator = TextGenerator.Load(Llama);
        Assert.That(async () => await generator.GenerateAsync([new GenerationRequest("x"), new GenerationRequest([1, 999])]),
            Throws.ArgumentException.With.Message.Contains("request 1").And.Message.Contains("999"));
        Assert.That(async () => await generator.GenerateAsync([new GenerationRequest("x", new GenerationOptions { Temperature = -1 })]),
            Throws.ArgumentException.With.Message.Contains("Temperature"));
        Assert.That(async () => await generator.GenerateAsync([new GenerationRequest(Enumerable.Repeat(5, 40).ToArray())]),
            Throws.ArgumentException.With.Message.Contains("context of 40"));
        Assert.That(async () => await generator.GenerateAsync([new GenerationRequest("x", new GenerationOptions { TopP = 0 })]),
            Throws.ArgumentException.With.Message.Contains("TopP"));
    }

    [Test]
    public async Task StoppingAStream_RemovesItsSequence_AndOthersFinish()
    {
        using var generator = TextGenerator.Load(Gpt2, new TextGeneratorOptions { MaxBatchSequences = 2 });
        var engine = (TextGenerationEngine)generator;
        var options = new GenerationOptions { MaxNewTokens = 30, StopAtEndOfSequence = false };
        var other = generator.GenerateAsync([new GenerationRequest("the dog", options)]);
        var seen = 0;
        await foreach (var update in generator.GenerateStreamingAsync(new GenerationRequest("the cat", options)))
        {
            if (++seen == 3)
            {
                break; // the client went away
            }
        }

        var result = (await other)[0];
        Assert.That(result.TokenIds, Has.Count.EqualTo(30));
        for (var i = 0; i < 100 && engine.InFlight > 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.That(engine.InFlight, Is.Zero, "the abandoned sequence left the batch");
    }

    [Test]
    public async Task CancellingACall_CancelsItsPrompts()
    {
        using var generator = TextGenerator.Load(Gpt2);
        using var cts = new CancellationTokenSource();
        var call = generator.GenerateAsync([new GenerationRequest("the cat", new GenerationOptions { MaxNewTokens = 40, StopAtEndOfSequence = false })], cancellationToken: cts.Token);
        await cts.CancelAsync();
        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Progress_ReportsEachPrompt()
    {
        using var generator = TextGenerator.Load(Gpt2);
        var reports = new List<GenerationProgress>();
        var progress = new SynchronousProgress<GenerationProgress>(reports.Add);
        await generator.GenerateAsync(
            [new GenerationRequest("a", new GenerationOptions { MaxNewTokens = 3, StopAtEndOfSequence = false }), new GenerationRequest("b", new GenerationOptions { MaxNewTokens = 2, StopAtEndOfSequence = false })],
            progress);
        Assert.That(reports.Select(r => r.CompletedRequests).Order(), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(reports.Max(r => r.GeneratedTokens), Is.EqualTo(5));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly object _gate = new();

        public void Report(T value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
