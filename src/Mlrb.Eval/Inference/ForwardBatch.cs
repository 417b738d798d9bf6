namespace Mlrb.Eval.Inference;

/// <summary>
/// Several token sequences run in one forward pass without padding: their new tokens are concatenated into <see cref="Tokens"/>
/// (<c>[tokenCount]</c>) and sequence s owns rows <c>[Starts[s], Starts[s+1])</c>. A sequence may continue a cached prefix
/// (<see cref="Prefixes"/>, its positions then start at the prefix length) and may record its keys and values (<see cref="Stores"/>,
/// written at positions prefix length and on; the store's length is set when the pass completes).
/// </summary>
internal sealed class ForwardBatch
{
    /// <summary>Creates a batch.</summary>
    /// <param name="tokens">New tokens of every sequence, concatenated.</param>
    /// <param name="starts">Row offsets, <c>[sequenceCount + 1]</c>.</param>
    /// <param name="outputRows">Rows whose hidden states (logits) are wanted, in output order.</param>
    /// <param name="prefixes">Per sequence: the cache it continues, or null.</param>
    /// <param name="stores">Per sequence: the cache its keys and values are appended to, or null.</param>
    public ForwardBatch(int[] tokens, int[] starts, int[] outputRows, KvCache?[]? prefixes = null, KvCache?[]? stores = null)
    {
        Tokens = tokens;
        Starts = starts;
        OutputRows = outputRows;
        var count = starts.Length - 1;
        Prefixes = prefixes ?? new KvCache?[count];
        Stores = stores ?? new KvCache?[count];
    }

    /// <summary>New tokens, <c>[tokenCount]</c>.</summary>
    public int[] Tokens { get; }

    /// <summary>Row offsets, <c>[sequenceCount + 1]</c>.</summary>
    public int[] Starts { get; }

    /// <summary>Sequences.</summary>
    public int SequenceCount => Starts.Length - 1;

    /// <summary>Rows (indices into <see cref="Tokens"/>) whose logits are wanted, in output order.</summary>
    public int[] OutputRows { get; }

    /// <summary>Per sequence: the cached prefix it continues, or null.</summary>
    public KvCache?[] Prefixes { get; }

    /// <summary>Per sequence: where its keys and values are stored, or null.</summary>
    public KvCache?[] Stores { get; }

    /// <summary>Tokens before sequence <paramref name="s"/>'s first new token (its prefix length).</summary>
    public int PastLength(int s) => Prefixes[s]?.Length ?? 0;
}
