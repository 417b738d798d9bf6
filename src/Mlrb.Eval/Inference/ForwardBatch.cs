namespace Mlrb.Eval.Inference;

/// <summary>
/// Several token sequences run in one forward pass without padding: their new tokens are concatenated into <see cref="Tokens"/>
/// (<c>[tokenCount]</c>) and sequence s owns rows <c>[Starts[s], Starts[s+1])</c>. A sequence may continue a cached prefix
/// (<see cref="Prefixes"/>, its positions then start at the prefix length) and may record its keys and values (<see cref="Stores"/>).
/// </summary>
internal sealed class ForwardBatch
{
    public ForwardBatch(int[] tokens, int[] starts, int[] outputRows, KvCache?[]? prefixes = null, KvCache?[]? stores = null)
    {
        Tokens = tokens;
        Starts = starts;
        OutputRows = outputRows;
        var count = starts.Length - 1;
        Prefixes = prefixes ?? new KvCache?[count];
        Stores = stores ?? new KvCache?[count];
    }

    public int[] Tokens { get; }

    /// <summary>Row offsets, <c>[sequenceCount + 1]</c>.</summary>
    public int[] Starts { get; }

    public int SequenceCount => Starts.Length - 1;

    /// <summary>Rows (indices into <see cref="Tokens"/>) whose logits are wanted, in output order.</summary>
    public int[] OutputRows { get; }

    public KvCache?[] Prefixes { get; }

    public KvCache?[] Stores { get; }
}
