using System.Text;
using Mlrb.Eval.Data;
using Mlrb.Eval.Statistics;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Statistics;

public class ModelInspectorTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-stats");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes a safetensors file by hand: 8-byte LE header length, JSON header, raw little-endian data.</summary>
    private static void WriteSafetensors(string path, params (string Name, string DType, long[] Shape, byte[] Data)[] tensors)
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        foreach (var t in tensors)
        {
            header.Append(System.Globalization.CultureInfo.InvariantCulture, $",\"{t.Name}\":{{\"dtype\":\"{t.DType}\",\"shape\":[{string.Join(',', t.Shape)}],\"data_offsets\":[{offset},{offset + t.Data.Length}]}}");
            offset += t.Data.Length;
        }

        var headerBytes = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        using var f = File.Create(path);
        f.Write(BitConverter.GetBytes((long)headerBytes.Length));
        f.Write(headerBytes);
        foreach (var t in tensors)
        {
            f.Write(t.Data);
        }
    }

    private static byte[] F32(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] F16(params float[] values) => values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray();

    [Test]
    public void CountsParameters_NonZeros_DTypes_Bytes_AndSkipsBuffers()
    {
        WriteSafetensors(
            Path.Combine(_dir, "model.safetensors"),
            ("w", "F32", [2, 3], F32(1, 0, -0f, 2, 0, 3)),          // 6 params, 3 non-zero (-0 counts as zero)
            ("b", "F16", [4], F16(0, 0.5f, -0f, 0)),                   // 4 params, 1 non-zero
            ("h.0.attn.bias", "F32", [1, 1, 2, 2], F32(1, 0, 1, 1)));  // buffer, not a parameter
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{\"model_type\": \"llama\"}");

        var stats = ModelInspector.Inspect(_dir);

        Assert.Multiple(() =>
        {
            Assert.That(stats.TotalParameters, Is.EqualTo(10));
            Assert.That(stats.TrainableParameters, Is.EqualTo(10));
            Assert.That(stats.NonTrainableParameters, Is.Zero);
            Assert.That(stats.NonZeroParameters, Is.EqualTo(4));
            Assert.That(stats.BufferElements, Is.EqualTo(4));
            Assert.That(stats.WeightBytes, Is.EqualTo(24 + 8 + 16));
            Assert.That(stats.ParametersByDType, Is.EquivalentTo(new Dictionary<string, long> { ["F32"] = 6, ["F16"] = 4 }));
            Assert.That(stats.OnlyFp16OrFp32, Is.True);
        });
    }

    [Test]
    public void QuantizedOrBf16Weights_FailTheFp16Fp32Rule()
    {
        WriteSafetensors(Path.Combine(_dir, "model.safetensors"), ("q", "I8", [4], [1, 0, 2, 0]), ("s", "BF16", [1], [0, 0x3F]));
        var stats = ModelInspector.Inspect(_dir);
        Assert.That(stats.OnlyFp16OrFp32, Is.False);
        Assert.That(stats.NonZeroParameters, Is.EqualTo(3));
    }

    [Test]
    public void TiedLmHead_IsCountedOnce()
    {
        WriteSafetensors(Path.Combine(_dir, "model.safetensors"), ("wte.weight", "F32", [2, 2], F32(1, 2, 3, 4)), ("lm_head.weight", "F32", [2, 2], F32(1, 2, 3, 4)));
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{\"model_type\": \"gpt2\"}");
        Assert.That(ModelInspector.Inspect(_dir).TotalParameters, Is.EqualTo(4));
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{\"model_type\": \"gpt2\", \"tie_word_embeddings\": false}");
        Assert.That(ModelInspector.Inspect(_dir).TotalParameters, Is.EqualTo(8));
    }

    [Test]
    public void MissingOrCorruptWeights_GiveClearErrors()
    {
        Assert.That(() => ModelInspector.Inspect(_dir), Throws.TypeOf<BenchmarkDataException>().With.Message.Contains("no *.safetensors"));
        File.WriteAllBytes(Path.Combine(_dir, "model.safetensors"), [5, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'x', (byte)'x', (byte)'x', (byte)'x']);
        Assert.That(() => ModelInspector.Inspect(_dir), Throws.TypeOf<BenchmarkDataException>().With.Message.Contains("malformed safetensors header"));
    }

    [Test]
    public void SharedLlamaModel_HasTheParameterCountOfItsConfig()
    {
        var dir = TestPaths.RequireSharedData("models/llama2xs-custom512");
        var stats = ModelInspector.Inspect(dir);
        // dim 64, 5 layers, 8 q heads / 4 kv heads (kv dim 32), hidden 192, vocab 512, tied embeddings:
        // embed 512*64 + 5 * (q 64*64 + k 64*32 + v 64*32 + o 64*64 + 3 * 64*192 + 2 norms 64) + final norm 64.
        const long expected = (512 * 64) + (5 * ((64 * 64) + (64 * 32) + (64 * 32) + (64 * 64) + (3 * 64 * 192) + (2 * 64))) + 64;
        Assert.That(stats.TotalParameters, Is.EqualTo(expected));
        Assert.That(stats.ParametersByDType.Keys, Is.EqualTo(new[] { "F32" }));
        Assert.That(stats.NonZeroParameters, Is.GreaterThan(expected * 9 / 10));
    }

    [Test]
    public void PeakMemory_IsAtLeastTheCurrentWorkingSet()
    {
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        Assert.That(PeakMemory.CurrentProcessPeakBytes(), Is.GreaterThanOrEqualTo(p.WorkingSet64 / 2).And.GreaterThan(0));
    }
}
