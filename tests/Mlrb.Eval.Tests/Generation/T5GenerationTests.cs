using Mlrb.Eval.Generation;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Tests.Scoring;

namespace Mlrb.Eval.Tests.Generation;

/// <summary>
/// Encoder-decoder generation (T5, FLAN-T5) beyond the greedy goldens of <see cref="TextGeneratorGoldenTests"/>: the prompt goes
/// to the encoder, its limits, log-probabilities against the seq2seq scorer, sampling, and what is refused.
/// </summary>
public class T5GenerationTests
{
    private static readonly string[] Models = ["tiny-t5", "tiny-flan-t5"];

    [TestCaseSource(nameof(Models))]
    public async Task Logprobs_OfGeneratedTokens_EqualTheSeq2SeqScorersLogLikelihood(string name)
    {
        var path = GoldenFile.ModelPath(name);
        using var generator = TextGenerator.Load(path);
        var prompt = new[] { 22, 27, 59, 45, 84, 1 };
        var result = (await generator.GenerateAsync([new GenerationRequest(prompt, new GenerationOptions { MaxNewTokens = 8, StopAtEndOfSequence = false, Logprobs = 2 })]))[0];
        var scorer = ModelScorer.Load(path);
        var scored = (await scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest(prompt, result.TokenIds.ToArray())]))[0];

        Assert.That(generator.IsEncoderDecoder, Is.True);
        Assert.That(result.TokenIds, Has.Count.EqualTo(8));
        Assert.That(result.Logprobs!.Sum(l => l.Logprob), Is.EqualTo(scored.LogLikelihood).Within(1e-4));
        Assert.That(scored.IsGreedy, Is.True, "greedy decoding picks the argmax at every decoder position");
    }

    [Test]
    public async Task TextPrompt_IsEncodedWithTheTokenizersEos_AsTheHarnessEncodesASeq2SeqContext()
    {
        using var generator = TextGenerator.Load(GoldenFile.ModelPath("tiny-t5"));
        var options = new GenerationOptions { MaxNewTokens = 6, StopAtEndOfSequence = false };
        var ids = generator.Tokenizer!.Encode("the cat sat on the mat", addSpecialTokens: true).ToArray();
        var fromText = (await generator.GenerateAsync([new GenerationRequest("the cat sat on the mat", options)]))[0];
        var fromIds = (await generator.GenerateAsync([new GenerationRequest(ids, options)]))[0];

        Assert.That(ids[^1], Is.EqualTo(1), "T5's tokenizer appends </s>");
        Assert.That(fromText.PromptTokenCount, Is.EqualTo(ids.Length));
        Assert.That(fromText.TokenIds, Is.EqualTo(fromIds.TokenIds));
        Assert.That(fromText.Text, Is.EqualTo(generator.Tokenizer.Decode(fromText.TokenIds, skipSpecialTokens: true)));
    }

    [Test]
    public async Task HarnessOptions_EncodeTheContextWithT5sEos_AndTruncateItToTheEncoder()
    {
        using var generator = TextGenerator.Load(GoldenFile.ModelPath("tiny-t5"), new TextGeneratorOptions { MaxLength = 5 });
        var harness = (await generator.GenerateAsync([new GenerationRequest("the cat sat on the mat", GenerationOptions.HarnessGenerateUntil([], 3))]))[0];
        var ids = generator.Tokenizer!.Encode("the cat sat on the mat", addSpecialTokens: true).ToArray();
        var tail = (await generator.GenerateAsync([new GenerationRequest(ids[^5..], new GenerationOptions { MaxNewTokens = 3 })]))[0];

        Assert.That(ids, Has.Length.GreaterThan(5));
        Assert.That(harness.PromptTokenCount, Is.EqualTo(5));
        Assert.That(harness.TruncatedPromptTokens, Is.EqualTo(ids.Length - 5));
        Assert.That(harness.TokenIds, Is.EqualTo(tail.TokenIds), "the last max_length tokens, </s> included, go to the encoder");
    }

    [Test]
    public async Task APromptLongerThanTheEncoder_IsRefused_OrLeftTruncatedWhenAsked()
    {
        using var generator = TextGenerator.Load(GoldenFile.ModelPath("tiny-t5"), new TextGeneratorOptions { MaxLength = 10 });
        var prompt = Enumerable.Range(3, 14).ToArray();
        var options = new GenerationOptions { MaxNewTokens = 4, StopAtEndOfSequence = false };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([new GenerationRequest(prompt, options)]));
        Assert.That(ex!.Message, Does.Contain("14 tokens").And.Contain("encoder"));

        var truncated = (await generator.GenerateAsync([new GenerationRequest(prompt, options with { TruncatePromptFromLeft = true })]))[0];
        var tail = (await generator.GenerateAsync([new GenerationRequest(prompt[^10..], options)]))[0];
        Assert.That(truncated.TruncatedPromptTokens, Is.EqualTo(4));
        Assert.That(truncated.TokenIds, Is.EqualTo(tail.TokenIds));

        // A prompt filling the encoder still leaves the decoder its own positions.
        Assert.That(tail.TokenIds, Has.Count.EqualTo(4));
        Assert.That(tail.FinishReason, Is.EqualTo(GenerationFinishReason.MaxTokens));
    }

    [Test]
    public async Task Sampling_WithASeed_IsTheSameAloneOrInABatch_AndSeedsDiffer()
    {
        using var generator = TextGenerator.Load(GoldenFile.ModelPath("tiny-t5"));
        var options = new GenerationOptions { MaxNewTokens = 12, Temperature = 1.5, Seed = 42, StopAtEndOfSequence = false };
        int[] prompt = [29, 87, 87, 49, 91, 1];
        var alone = (await generator.GenerateAsync([new GenerationRequest(prompt, options)]))[0];
        var batch = await generator.GenerateAsync(
        [
            new GenerationRequest([76, 69, 1], options with { Seed = 1 }),
            new GenerationRequest(prompt, options),
            new GenerationRequest([45, 95, 96, 80, 15, 67, 1], options with { Seed = 3 }),
        ]);
        var seeds = await generator.GenerateAsync(Enumerable.Range(100, 6).Select(s => new GenerationRequest(prompt, options with { Seed = s })).ToList());

        Assert.That(batch[1].TokenIds, Is.EqualTo(alone.TokenIds));
        Assert.That(seeds.Select(r => string.Join(',', r.TokenIds)).Distinct().Count(), Is.GreaterThan(1), "different seeds give different samples");
    }

    [Test]
    public async Task EchoedPromptLogprobs_AreNotDefinedForAnEncoderDecoder()
    {
        using var generator = TextGenerator.Load(GoldenFile.ModelPath("tiny-flan-t5"));
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => generator.ScoreTokensAsync([5, 6, 7], 1));
        Assert.That(ex!.Message, Does.Contain("encoder-decoder"));
    }
}
