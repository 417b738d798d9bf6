using System.Globalization;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// One of <see cref="Count"/> disjoint parts of an evaluation: within every subtask, the document at position p belongs
/// to shard <c>p mod Count</c>. Whole documents (all their choices, which share a context) stay in one shard, and the split
/// depends only on the data, never on threads or timing.
/// </summary>
/// <param name="Index">0-based shard index, below <paramref name="Count"/>.</param>
/// <param name="Count">Number of shards (at least 1).</param>
public sealed record EvaluationShard(int Index, int Count)
{
    /// <summary>Whether the document at a 0-based position within its subtask belongs to this shard.</summary>
    /// <param name="position">The document's position in its subtask.</param>
    /// <returns>True when this shard scores it.</returns>
    public bool Contains(int position) => position % Count == Index;

    /// <summary>Parses <c>I/N</c> (0 &lt;= I &lt; N).</summary>
    /// <param name="text">The text, e.g. <c>0/4</c>.</param>
    /// <returns>The shard.</returns>
    /// <exception cref="ArgumentException">The text is not <c>I/N</c> with 0 &lt;= I &lt; N.</exception>
    public static EvaluationShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index < count)
        {
            return new EvaluationShard(index, count);
        }

        throw new ArgumentException($"--shard must be I/N with 0 <= I < N (e.g. 0/4); got '{text}'.");
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
