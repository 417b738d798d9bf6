namespace Mlrb.Eval.Tokenization.Bpe;

/// <summary>Per-thread scratch buffers for merging one word, reused to avoid allocations.</summary>
internal sealed class BpeWorkspace
{
    /// <summary>The symbol ids.</summary>
    public List<int> Symbols { get; } = new(64);

    /// <summary>Previous live symbol, or -1.</summary>
    public int[] Prev { get; private set; } = new int[64];

    /// <summary>Next live symbol, or -1.</summary>
    public int[] Next { get; private set; } = new int[64];

    /// <summary>Whether a symbol is still live.</summary>
    public bool[] Alive { get; private set; } = new bool[64];

    /// <summary>Candidate merges ordered by (rank, position).</summary>
    public PriorityQueue<long, long> Queue { get; } = new();

    /// <summary>Ensures the arrays hold <paramref name="count"/> symbols.</summary>
    /// <param name="count">The number of symbols.</param>
    public void Prepare(int count)
    {
        if (Prev.Length < count)
        {
            var size = Math.Max(count, Prev.Length * 2);
            Prev = new int[size];
            Next = new int[size];
            Alive = new bool[size];
        }
    }
}
