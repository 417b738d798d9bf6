using Mlrb.Eval.Data;

namespace Mlrb.Eval.Benchmarks;

/// <summary>What the subtask builders need: data folder, shots, limit, MultiRC fix and the issue log.</summary>
internal sealed record BuildSettings(string DataDirectory, int Shots, int? Limit, bool FixMultiRc, DataIssueLog Log)
{
    /// <summary>Which split to read.</summary>
    public EvaluationSplit Split { get; init; } = EvaluationSplit.Test;

    /// <summary>The subtasks to build (harness names, with or without the benchmark prefix); empty builds all.</summary>
    public IReadOnlyList<string> Subtasks { get; init; } = [];

    /// <summary>Whether a subtask (harness name, e.g. <c>mmlu_anatomy</c>) is wanted.</summary>
    public bool Includes(string subtask, string prefix)
        => Subtasks.Count == 0 || Subtasks.Any(s => string.Equals(s, subtask, StringComparison.OrdinalIgnoreCase)
            || string.Equals(prefix + s, subtask, StringComparison.OrdinalIgnoreCase));

    /// <summary>Subtasks whose evaluation file is missing (skipped unless strict).</summary>
    public List<string> Missing { get; } = [];

    /// <summary>Reports a missing file: throws in strict mode, otherwise records the subtask as missing.</summary>
    public void ReportMissing(string subtask, string path)
    {
        if (Log.Strict)
        {
            throw new BenchmarkDataException(path, 0, $"file not found (needed by {subtask})");
        }

        Missing.Add(subtask);
    }

    /// <summary>The first <see cref="Limit"/> items.</summary>
    public IEnumerable<T> Take<T>(IEnumerable<T> items) => Limit is { } n ? items.Take(n) : items;
}
