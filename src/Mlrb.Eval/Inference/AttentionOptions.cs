namespace Mlrb.Eval.Inference;

/// <summary>How one layer's attention scores are formed and masked.</summary>
/// <param name="Scale">Multiplies q·k (usually <c>headDim^-0.5</c>).</param>
/// <param name="SoftCap">When set, scores become <c>cap·tanh(score/cap)</c> before masking (Gemma-2).</param>
/// <param name="SlidingWindow">When set, a query at position p sees only keys at positions <c>&gt; p − window</c> (the window counts the query itself).</param>
internal readonly record struct AttentionOptions(float Scale, float? SoftCap = null, int? SlidingWindow = null);
