namespace Mlrb.Tasks.Storage;

/// <summary>The outcome written to a step when it ends.</summary>
/// <param name="Status">Succeeded or failed.</param>
/// <param name="OutputExcerpt">Capped output.</param>
/// <param name="ErrorExcerpt">Capped error output.</param>
/// <param name="CompletedAt">End time (UTC).</param>
/// <param name="InputTokens">Input tokens to add to the step, if known at completion.</param>
/// <param name="OutputTokens">Output tokens to add to the step, if known at completion.</param>
public sealed record StepCompletion(
    StepStatus Status,
    string? OutputExcerpt,
    string? ErrorExcerpt,
    DateTimeOffset CompletedAt,
    long InputTokens = 0,
    long OutputTokens = 0);
