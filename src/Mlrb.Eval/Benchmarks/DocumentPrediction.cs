namespace Mlrb.Eval.Benchmarks;

/// <summary>One scored document, for comparison with a reference pipeline.</summary>
/// <param name="Subtask">The leaf task.</param>
/// <param name="Index">0-based document index.</param>
/// <param name="Line">Source line.</param>
/// <param name="LogLikelihoods">Summed log-likelihood of each choice.</param>
/// <param name="Prediction">argmax (first index on ties).</param>
/// <param name="Gold">The gold index (-1 when undefined).</param>
public sealed record DocumentPrediction(string Subtask, int Index, int Line, IReadOnlyList<double> LogLikelihoods, int Prediction, int Gold);
