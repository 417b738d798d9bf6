using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Tests.Inference;

/// <summary>fp32/fp16/bf16 conversions against their definitions.</summary>
public unsafe class ElementConversionTests
{
    [TestCase(1.0f, (ushort)0x3F80)]
    [TestCase(-2.0f, (ushort)0xC000)]
    [TestCase(float.PositiveInfinity, (ushort)0x7F80)]
    [TestCase(0f, (ushort)0x0000)]
    public void ToBFloat16_ExactValues(float value, ushort expected)
        => Assert.That(ElementConversion.ToBFloat16(value), Is.EqualTo(expected));

    [Test]
    public void ToBFloat16_RoundsHalfToEven()
    {
        // 0x3F80_8000 lies exactly between 0x3F80 and 0x3F81: ties go to the even mantissa (0x3F80); 0x3F81_8000 goes up to 0x3F82.
        Assert.That(ElementConversion.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F80_8000)), Is.EqualTo((ushort)0x3F80));
        Assert.That(ElementConversion.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F81_8000)), Is.EqualTo((ushort)0x3F82));
        Assert.That(ElementConversion.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F80_8001)), Is.EqualTo((ushort)0x3F81));
    }

    [Test]
    public void ToBFloat16_KeepsNaN()
        => Assert.That(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)ElementConversion.ToBFloat16(float.NaN) << 16)), Is.True);

    [Test]
    public void WideningEveryType_MatchesTheScalarDefinition()
    {
        var rng = new Random(3);
        const int N = 37; // not a multiple of the vector width
        var bf = new ushort[N];
        var fp16 = new Half[N];
        for (var i = 0; i < N; i++)
        {
            bf[i] = (ushort)rng.Next(0, 0x7F80);
            fp16[i] = (Half)((rng.NextDouble() * 200) - 100);
        }

        var wideBf = new float[N];
        var wideHalf = new float[N];
        fixed (ushort* pb = bf)
        fixed (Half* ph = fp16)
        {
            ElementConversion.ToSingle((byte*)pb, WeightType.BF16, wideBf);
            ElementConversion.ToSingle((byte*)ph, WeightType.F16, wideHalf);
        }

        for (var i = 0; i < N; i++)
        {
            Assert.That(wideBf[i], Is.EqualTo(BitConverter.UInt32BitsToSingle((uint)bf[i] << 16)), $"bf16 {i}");
            Assert.That(wideHalf[i], Is.EqualTo((float)fp16[i]), $"fp16 {i}");
        }
    }
}
