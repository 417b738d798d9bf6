using Mlrb.Eval.Models;
using Mlrb.Eval.Models.T5;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Tokenization;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>T5 v1.0 (ReLU, tied head) and v1.1/FLAN-T5 (gated GELU, untied head) against tests/reference/t5.py, with the harness's seq2seq rule.</summary>
public class T5GoldenTests
{
    private const double Tolerance = 1e-4;

    public static readonly string[] Models = ["tiny-t5", "tiny-flan-t5"];

    [TestCaseSource(nameof(Models))]
    public async Task TokenRequests_MatchPyTorch_IncludingTruncatedContextsAndLabels(string name)
    {
        var golden = GoldenFile.Read(name);
        var scorer = ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { Threads = 2 });
        Assert.That(scorer.MaxLength, Is.EqualTo(golden.MaxLength), "max length from config.json n_positions, as the harness reads it");
        Assert.That(golden.TokenRequests.Any(r => r.ContextIds.Length > golden.MaxLength) && golden.TokenRequests.Any(r => r.ContinuationIds.Length > golden.MaxLength));

        var results = await scorer.ScoreTokensAsync(golden.TokenRequests.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList());

        Assert.That(golden.TokenRequests.Count(r => r.IsGreedy), Is.GreaterThan(0));
        for (var i = 0; i < results.Count; i++)
        {
            var g = golden.TokenRequests[i];
            Assert.Multiple(() =>
            {
                Assert.That(results[i].LogLikelihood, Is.EqualTo(g.LogLikelihood).Within(Tolerance), $"request {i}");
                Assert.That(results[i].IsGreedy, Is.EqualTo(g.IsGreedy), $"greedy {i}");
            });
        }
    }

    [TestCaseSource(nameof(Models))]
    public async Task TextRequests_WithTheFolderSentencePieceTokenizer_FollowTheSeq2SeqRule(string name)
    {
        var golden = GoldenFile.Read(name);
        var folder = GoldenFile.ModelPath(name);
        var tokenizer = TokenizerLoader.Load(folder);
        for (var i = 0; i < golden.TextRequests.Count; i++)
        {
            var g = golden.TextRequests[i];
            var (ctx, cont) = Seq2SeqScorer.Encode(tokenizer, golden.PrefixTokenId, new LogLikelihoodRequest(g.ContextText, g.ContinuationText), i);
            Assert.That(ctx, Is.EqualTo(g.ContextTokens), $"context ids of text request {i} (T5 appends </s> to the context)");
            Assert.That(cont, Is.EqualTo(g.ContinuationTokens), $"continuation ids of text request {i} (no special tokens)");
        }

        var results = await ModelScorer.Load(folder).ScoreAsync(golden.TextRequests.Select(r => new LogLikelihoodRequest(r.ContextText, r.ContinuationText)).ToList());

        for (var i = 0; i < results.Count; i++)
        {
            var g = golden.TextRequests[i];
            Assert.Multiple(() =>
            {
                Assert.That(results[i].LogLikelihood, Is.EqualTo(g.LogLikelihood).Within(Tolerance), $"text request {i}");
                Assert.That(results[i].IsGreedy, Is.EqualTo(g.IsGreedy), $"greedy {i}");
                Assert.That(results[i].ContextTokens, Is.EqualTo(g.ContextTokens!.Length));
                Assert.That(results[i].ContinuationTokens, Is.EqualTo(g.ContinuationTokens!.Length));
            });
        }
    }

    [TestCase(0, true, 0)]
    [TestCase(1, true, 17)]
    [TestCase(-1, true, 1)]
    [TestCase(-7, true, 7)]
    [TestCase(-8, true, 8)]
    [TestCase(-100, true, 15)]
    [TestCase(1000, true, 31)]
    [TestCase(5, false, 0)]
    [TestCase(-1, false, 1)]
    [TestCase(-20, false, 17)]
    [TestCase(-5000, false, 31)]
    public void RelativePositionBuckets_T5Defaults(int relative, bool bidirectional, int expected)
        => Assert.That(RelativePositionBuckets.Bucket(relative, bidirectional, 32, 128), Is.EqualTo(expected));

    [Test]
    public void DecoderOnlyPaths_RefuseT5_InOneLine_AndUnknownTypesListIt()
    {
        var ex = Assert.Throws<ModelFormatException>(() => DecoderModel.Load(GoldenFile.ModelPath("tiny-t5")));
        Assert.That(ex!.Message, Does.Contain("encoder-decoder").And.Not.Contain("\n"));

        var dir = TestPaths.CreateTempDirectory("mlrb-t5");
        try
        {
            File.WriteAllText(Path.Combine(dir, "config.json"), """{"model_type": "bart"}""");
            var unknown = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(dir));
            Assert.That(unknown!.Message, Does.Contain("'bart'").And.Contain("t5").And.Contain("llama"));

            File.WriteAllText(Path.Combine(dir, "config.json"), """{"model_type": "t5", "feed_forward_proj": "gated-swishy"}""");
            var act = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(dir));
            Assert.That(act!.Message, Does.Contain("swishy"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
