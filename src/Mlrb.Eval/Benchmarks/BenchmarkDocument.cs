namespace Mlrb.Eval.Benchmarks;

/// <summary>One evaluation document: a shared context and one continuation per choice (target delimiter included).</summary>
/// <param name="Index">0-based position in the evaluation set.</param>
/// <param name="Line">1-based line in the source file.</param>
/// <param name="Context">The full context (description, few-shot blocks, question).</param>
/// <param name="Continuations"><c>" " + choice</c> for every choice.</param>
/// <param name="Gold">The gold index.</param>
/// <param name="Entities">ReCoRD: the entity of each choice (sorted set), else null.</param>
/// <param name="Answers">ReCoRD: the gold answer texts (sorted set), else null.</param>
internal sealed record BenchmarkDocument(
    int Index,
    int Line,
    string Context,
    IReadOnlyList<string> Continuations,
    int Gold,
    IReadOnlyList<string>? Entities = null,
    IReadOnlyList<string>? Answers = null);
