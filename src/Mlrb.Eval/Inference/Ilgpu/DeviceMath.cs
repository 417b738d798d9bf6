using ILGPU;
using ILGPU.Algorithms;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>Scalar helpers used inside ILGPU kernels (element widening, bf16 rounding, activations).</summary>
internal static class DeviceMath
{
    private const float GeluScale = 0.7978845608028654f; // sqrt(2 / pi)
    private const float InverseSqrt2 = 0.70710678118654752f;

    /// <summary>Element <paramref name="i"/> of a weight array in type <paramref name="type"/> (0 fp32, 1 fp16, 2 bf16), widened exactly to fp32.</summary>
    public static float Load(ArrayView<float> single, ArrayView<ushort> bits, int type, long i)
        => type == 0 ? single[i] : Widen(bits[i], type);

    /// <summary>A 16-bit pattern (1 fp16, 2 bf16) widened to fp32; exact.</summary>
    public static float Widen(ushort value, int type)
    {
        if (type == 2)
        {
            return Interop.IntAsFloat((uint)value << 16);
        }

        var sign = (uint)(value & 0x8000) << 16;
        var exponent = (value >> 10) & 0x1F;
        var mantissa = (uint)(value & 0x3FF);
        if (exponent == 0)
        {
            // Zero or subnormal: mantissa · 2^-24, exact in fp32.
            var magnitude = mantissa * 5.9604644775390625e-8f;
            return sign != 0 ? -magnitude : magnitude;
        }

        var bitsOut = exponent == 31
            ? sign | 0x7F80_0000u | (mantissa << 13)
            : sign | ((uint)(exponent + 112) << 23) | (mantissa << 13);
        return Interop.IntAsFloat(bitsOut);
    }

    /// <summary>Rounds to the nearest bf16 value (ties to even; NaN stays NaN), as <see cref="ElementConversion.ToBFloat16"/>.</summary>
    public static float RoundToBFloat16(float value)
    {
        var bits = Interop.FloatAsInt(value);
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            return value;
        }

        var rounded = (bits + 0x7FFFu + ((bits >> 16) & 1u)) & 0xFFFF_0000u;
        return Interop.IntAsFloat(rounded);
    }

    /// <summary>The activation function by code (<see cref="ActivationFunction"/>).</summary>
    public static float Activate(int function, float x)
    {
        switch (function)
        {
            case 0:
            {
                var u = GeluScale * (x + (0.044715f * x * x * x));
                return 0.5f * x * (1f + XMath.Tanh(u));
            }

            case 1:
            {
                // 0.5·x·erfc(−x/√2) with the Numerical Recipes erfcc (as the CPU kernel).
                var z = XMath.Abs(x) * InverseSqrt2;
                var t = 1f / (1f + (0.5f * z));
                var poly = -1.26551223f + (t * (1.00002368f + (t * (0.37409196f + (t * (0.09678418f + (t * (-0.18628806f
                    + (t * (0.27886807f + (t * (-1.13520398f + (t * (1.48851587f + (t * (-0.82215223f + (t * 0.17087277f)))))))))))))))));
                var erfcAbs = t * XMath.Exp((-z * z) + poly);
                var erfcNeg = x >= 0 ? 2f - erfcAbs : erfcAbs;
                return 0.5f * x * erfcNeg;
            }

            case 2:
                return x > 0f ? x : 0f;
            default:
                return x / (1f + XMath.Exp(-x));
        }
    }
}
