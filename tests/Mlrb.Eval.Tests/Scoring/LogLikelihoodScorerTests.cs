using Mlrb.Eval.Scoring;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>Scorer behaviour beyond the numbers: validation, progress, cancellation, order.</summary>
public class LogLikelihoodScorerTests
{
    private static readonly ILogLikelihoodScorer Scorer = ModelScorer.Load(GoldenFile.ModelPath("tiny-gpt2"));

    [Test]
    public async Task EmptyContinuation_IsAClearError()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest([1], [])]));
        Assert.That(ex!.Message, Does.Contain("request 0").And.Contain("continuation is empty"));
    }

    [Test]
    public async Task EmptyContext_IsAClearError()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest([], [1])]));
        Assert.That(ex!.Message, Does.Contain("context is empty"));
    }

    [Test]
    public async Task TokenOutsideVocabulary_IsAClearError()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest([1], [304])]));
        Assert.That(ex!.Message, Does.Contain("304").And.Contain("vocabulary"));
    }

    [Test]
    public async Task ContinuationLongerThanMaxLength_IsAClearError()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest([1], Enumerable.Repeat(3, 49).ToArray())]));
        Assert.That(ex!.Message, Does.Contain("max length 48"));
    }

    [Test]
    public async Task Progress_ReachesTheTotal()
    {
        var requests = Enumerable.Range(0, 30).Select(i => new TokenLogLikelihoodRequest([i + 1, 2], [i + 3, 4, 5])).ToList();
        var reports = new List<ScoringProgress>();
        var progress = new SynchronousProgress(reports.Add);

        var results = await ModelScorer.Load(GoldenFile.ModelPath("tiny-gpt2"), new ModelScorerOptions { MaxBatchSequences = 4 })
            .ScoreTokensAsync(requests, progress);

        Assert.That(results, Has.Count.EqualTo(30));
        Assert.That(reports, Has.Count.GreaterThanOrEqualTo(8));
        Assert.That(reports[^1].CompletedRequests, Is.EqualTo(30));
        Assert.That(reports[^1].TotalRequests, Is.EqualTo(30));
        Assert.That(reports.Select(r => r.CompletedRequests), Is.Ordered);
        Assert.That(reports[^1].TokensProcessed, Is.EqualTo(30 * 4));
    }

    [Test]
    public void CancelledToken_StopsScoring()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.That(
            () => Scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest([1], [2])], cancellationToken: cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task CancellationDuringScoring_StopsBetweenBatches()
    {
        using var cts = new CancellationTokenSource();
        var requests = Enumerable.Range(0, 50).Select(i => new TokenLogLikelihoodRequest([i + 1], [2, 3])).ToList();
        var seen = 0;
        var progress = new SynchronousProgress(_ =>
        {
            if (++seen == 2)
            {
                cts.Cancel();
            }
        });
        var scorer = ModelScorer.Load(GoldenFile.ModelPath("tiny-gpt2"), new ModelScorerOptions { MaxBatchSequences = 2 });

        Assert.That(() => scorer.ScoreTokensAsync(requests, progress, cts.Token), Throws.InstanceOf<OperationCanceledException>());
        await Task.Yield();
        Assert.That(seen, Is.LessThan(25));
    }

    [Test]
    public async Task Results_ComeBackInRequestOrder_AndIdenticalRequestsAgree()
    {
        var a = new TokenLogLikelihoodRequest([1, 2, 3, 4, 5, 6], [7]);
        var b = new TokenLogLikelihoodRequest([9], [8, 7]);
        var results = await Scorer.ScoreTokensAsync([a, b, a]);
        var single = await Scorer.ScoreTokensAsync([b]);

        Assert.That(results[0].LogLikelihood, Is.EqualTo(results[2].LogLikelihood));
        Assert.That(results[1].LogLikelihood, Is.EqualTo(single[0].LogLikelihood).Within(1e-5));
        Assert.That(results[0].LogLikelihood, Is.Not.EqualTo(results[1].LogLikelihood).Within(1e-3));
        Assert.That(results[0].ContextTokens, Is.EqualTo(6));
        Assert.That(results[1].ContinuationTokens, Is.EqualTo(2));
    }

    private sealed class SynchronousProgress(Action<ScoringProgress> report) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => report(value);
    }
}
