namespace Mlrb.Eval.Models.T5;

/// <summary>
/// One sequence's decoding state on the host (fp32, where T5's attention runs): per decoder layer, the cross-attention keys and
/// values of the encoder's output (<c>[encoder length, 2·inner]</c>, keys then values) and the self-attention keys and values of
/// the decoder positions so far (<c>[capacity, 2·inner]</c>, grown by doubling).
/// </summary>
internal sealed class T5DecoderState
{
    private const int InitialCapacity = 16;
    private readonly int _inner;

    public T5DecoderState(float[][] crossKv, int encoderLength, int inner)
    {
        CrossKv = crossKv;
        EncoderLength = encoderLength;
        _inner = inner;
        SelfKv = new float[crossKv.Length][];
        for (var l = 0; l < SelfKv.Length; l++)
        {
            SelfKv[l] = [];
        }
    }

    /// <summary>Cross-attention keys and values per decoder layer.</summary>
    public float[][] CrossKv { get; }

    /// <summary>Encoder positions (keys of the cross-attention).</summary>
    public int EncoderLength { get; }

    /// <summary>Self-attention keys and values per decoder layer.</summary>
    public float[][] SelfKv { get; }

    /// <summary>Decoder positions held.</summary>
    public int Length { get; set; }

    /// <summary>Makes room for <paramref name="length"/> decoder positions.</summary>
    public void Reserve(int length, int layers)
    {
        var row = 2 * _inner;
        var capacity = SelfKv.Length == 0 ? 0 : SelfKv[0].Length / row;
        if (length <= capacity)
        {
            return;
        }

        var grown = Math.Max(length, Math.Max(InitialCapacity, capacity * 2));
        for (var l = 0; l < layers; l++)
        {
            var next = new float[grown * row];
            SelfKv[l].AsSpan(0, Length * row).CopyTo(next);
            SelfKv[l] = next;
        }
    }
}
