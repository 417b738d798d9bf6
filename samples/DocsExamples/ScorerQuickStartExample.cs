using Mlrb.Eval.Scoring;

namespace DocsExamples;

/// <summary>docs/eval-engine.md: score text and token-id requests with a model folder.</summary>
public static class ScorerQuickStartExample
{
    public static async Task<IReadOnlyList<LogLikelihoodResult>> RunAsync()
    {
        ILogLikelihoodScorer scorer = ModelScorer.Load("path/to/model", new ModelScorerOptions { Threads = 2 });

        // Text: the folder's tokenizer is loaded on the first text request.
        var results = await scorer.ScoreAsync(
        [
            new LogLikelihoodRequest("", " The cat sat."),                  // empty context: BOS (else EOS) is the context
            new LogLikelihoodRequest("Question: 2+2=?\nAnswer:", " 4"),
        ], progress: new Progress<ScoringProgress>(p => Console.WriteLine($"{p.CompletedRequests}/{p.TotalRequests}")));

        // Token ids: works for a folder that has no tokenizer.
        var byIds = await scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest([1, 15, 27], [99, 4])]);
        Console.WriteLine($"{byIds[0].LogLikelihood} greedy={byIds[0].IsGreedy}");
        return results;
    }
}
