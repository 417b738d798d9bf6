namespace Mlrb.Eval.Inference;

/// <summary>
/// A <see cref="ForwardBatch"/> prepared by a backend for one forward pass: tokens, positions, the per-token rotary cos/sin rows and
/// the output rows, resident where the backend's operations read them.
/// </summary>
internal abstract class DeviceBatch
{
    /// <summary>Creates the handle.</summary>
    protected DeviceBatch(ForwardBatch batch, int[] positions)
    {
        Batch = batch;
        Positions = positions;
    }

    /// <summary>The host batch (sequence layout and caches).</summary>
    public ForwardBatch Batch { get; }

    /// <summary>Absolute position of each token (prefix length + offset in its sequence).</summary>
    public int[] Positions { get; }

    /// <summary>Tokens in the pass.</summary>
    public int TokenCount => Batch.Tokens.Length;
}
