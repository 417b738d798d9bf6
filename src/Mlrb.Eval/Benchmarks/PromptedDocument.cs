namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// A document after the task's templates: <c>doc_to_text</c>, <c>doc_to_choice</c>, the gold index and the few-shot answer text.
/// </summary>
/// <param name="Text">The rendered question.</param>
/// <param name="Choices">The choices before the <c>" "</c> target delimiter.</param>
/// <param name="Gold">The gold choice index.</param>
/// <param name="TargetText">The answer text a few-shot example shows (usually <c>Choices[Gold]</c>).</param>
internal sealed record PromptedDocument(string Text, IReadOnlyList<string> Choices, int Gold, string TargetText);
