namespace Mlrb.Eval.Inference;

/// <summary>
/// Keys (after the rotary embedding) and values of a token prefix, per layer, <c>[capacity, kvHeads·headDim]</c> each, resident on a backend.
/// A <see cref="ForwardBatch"/> sequence reads a cache as its prefix and/or appends to one as its store; the same cache may be both
/// (incremental decoding): new keys are written at <see cref="Length"/> and later, never over the prefix being read.
/// </summary>
internal sealed class KvCache
{
    /// <summary>Allocates an empty cache.</summary>
    /// <param name="backend">The backend that holds it.</param>
    /// <param name="layers">Transformer layers.</param>
    /// <param name="capacity">Most tokens it holds.</param>
    /// <param name="kvDim">Key (and value) width per token: key/value heads × head dimension.</param>
    public KvCache(IComputeBackend backend, int layers, int capacity, int kvDim)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        KvDim = kvDim;
        Capacity = capacity;
        Keys = new DeviceBuffer[layers];
        Values = new DeviceBuffer[layers];
        var size = Math.Max(1L, (long)capacity * kvDim);
        for (var l = 0; l < layers; l++)
        {
            Keys[l] = backend.AllocateCache(size);
            Values[l] = backend.AllocateCache(size);
        }
    }

    /// <summary>Key width per token.</summary>
    public int KvDim { get; }

    /// <summary>Most tokens held.</summary>
    public int Capacity { get; }

    /// <summary>Tokens held (set by the forward pass that stores into the cache).</summary>
    public int Length { get; set; }

    /// <summary>Keys per layer.</summary>
    public DeviceBuffer[] Keys { get; }

    /// <summary>Values per layer.</summary>
    public DeviceBuffer[] Values { get; }
}
