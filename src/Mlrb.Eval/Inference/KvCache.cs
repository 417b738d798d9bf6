namespace Mlrb.Eval.Inference;

/// <summary>Keys (after RoPE) and values of a token prefix, per layer, <c>[capacity, kvHeads·headDim]</c> each.</summary>
internal sealed class KvCache
{
    public KvCache(int layers, int capacity, int kvDim)
    {
        KvDim = kvDim;
        Capacity = capacity;
        Keys = new float[layers][];
        Values = new float[layers][];
        for (var l = 0; l < layers; l++)
        {
            Keys[l] = new float[capacity * kvDim];
            Values[l] = new float[capacity * kvDim];
        }
    }

    public int KvDim { get; }

    public int Capacity { get; }

    /// <summary>Tokens held.</summary>
    public int Length { get; set; }

    public float[][] Keys { get; }

    public float[][] Values { get; }
}
