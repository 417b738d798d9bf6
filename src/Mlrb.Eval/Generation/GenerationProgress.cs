namespace Mlrb.Eval.Generation;

/// <summary>Progress of a <see cref="ITextGenerator.GenerateAsync"/> call.</summary>
/// <param name="CompletedRequests">Prompts finished.</param>
/// <param name="TotalRequests">Prompts in the call.</param>
/// <param name="GeneratedTokens">Tokens generated so far by the finished prompts.</param>
public sealed record GenerationProgress(int CompletedRequests, int TotalRequests, long GeneratedTokens);
