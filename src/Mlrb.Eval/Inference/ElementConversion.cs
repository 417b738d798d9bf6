using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mlrb.Eval.Inference;

/// <summary>Conversions between fp32, fp16 and bf16 on the host. Widening is exact; narrowing to bf16 rounds to nearest even.</summary>
internal static unsafe class ElementConversion
{
    /// <summary>Widens <paramref name="destination"/>.Length elements of <paramref name="type"/> at <paramref name="source"/> to fp32.</summary>
    public static void ToSingle(byte* source, WeightType type, Span<float> destination)
    {
        switch (type)
        {
            case WeightType.F32:
                new ReadOnlySpan<float>(source, destination.Length).CopyTo(destination);
                break;
            case WeightType.F16:
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(source, destination.Length), destination);
                break;
            default:
                BFloat16ToSingle((ushort*)source, destination);
                break;
        }
    }

    /// <summary>bf16 → fp32: the bf16 bits become the upper half of the fp32.</summary>
    public static void BFloat16ToSingle(ushort* source, Span<float> destination)
    {
        var n = destination.Length;
        var i = 0;
        fixed (float* d = destination)
        {
            if (Avx2.IsSupported)
            {
                for (; i + 8 <= n; i += 8)
                {
                    var wide = Avx2.ConvertToVector256Int32(source + i);
                    Avx.Store(d + i, Avx2.ShiftLeftLogical(wide, 16).AsSingle());
                }
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                for (; i + 8 <= n; i += 8)
                {
                    var (lo, hi) = Vector128.Widen(Vector128.Load(source + i));
                    Vector128.ShiftLeft(lo, 16).AsSingle().Store(d + i);
                    Vector128.ShiftLeft(hi, 16).AsSingle().Store(d + i + 4);
                }
            }

            var bits = (uint*)d;
            for (; i < n; i++)
            {
                bits[i] = (uint)source[i] << 16;
            }
        }
    }

    /// <summary>fp32 → bf16, round to nearest even (NaN stays NaN), as <c>torch.Tensor.to(torch.bfloat16)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000)
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    /// <summary>Rounds fp32 values to the nearest bf16 value, in place (the low 16 bits become zero).</summary>
    public static void RoundToBFloat16(Span<float> values)
    {
        var bits = MemoryMarshal.Cast<float, uint>(values);
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = (uint)ToBFloat16(values[i]) << 16;
        }
    }

    /// <summary>Converts fp32 values to <paramref name="type"/> at <paramref name="destination"/>.</summary>
    public static void FromSingle(ReadOnlySpan<float> source, WeightType type, byte* destination)
    {
        switch (type)
        {
            case WeightType.F32:
                source.CopyTo(new Span<float>(destination, source.Length));
                break;
            case WeightType.F16:
                TensorPrimitives.ConvertToHalf(source, new Span<Half>(destination, source.Length));
                break;
            default:
                var d = (ushort*)destination;
                for (var i = 0; i < source.Length; i++)
                {
                    d[i] = ToBFloat16(source[i]);
                }

                break;
        }
    }
}
