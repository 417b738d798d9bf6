namespace Mlrb.Eval.Metrics;

/// <summary>The outcome of compiling one sample.</summary>
/// <param name="Passed">Exited 0 within the timeout.</param>
/// <param name="TimedOut">Killed at the timeout.</param>
/// <param name="Output">Compiler output (capped).</param>
internal sealed record LeanCheck(bool Passed, bool TimedOut, string Output);
