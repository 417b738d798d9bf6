using Mlrb.Eval.Scoring;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>Creates the scorer for a model folder; tests replace it with a fake through <see cref="Override"/>.</summary>
internal static class ScorerFactory
{
    /// <summary>When set, used instead of the engine (tests).</summary>
    public static Func<string, ILogLikelihoodScorer>? Override { get; set; }

    /// <summary>Loads the model folder's scorer.</summary>
    public static ILogLikelihoodScorer Create(string modelDirectory, int? threads, string? adapter = null, ComputeDType dtype = ComputeDType.Fp32)
    {
        if (Override is { } fake)
        {
            return fake(modelDirectory);
        }

        return ModelScorer.Load(modelDirectory, new ModelScorerOptions { Threads = threads, Adapter = adapter, DType = dtype });
    }
}
