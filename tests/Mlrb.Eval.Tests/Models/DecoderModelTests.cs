using Mlrb.Eval.Inference.Cpu;
using Mlrb.Eval.Models;
using Mlrb.Eval.Tests.Scoring;

namespace Mlrb.Eval.Tests.Models;

/// <summary>What a loaded model holds.</summary>
public class DecoderModelTests
{
    [TestCase("tiny-llama")]          // BF16
    [TestCase("tiny-gemma")]          // BF16
    [TestCase("tiny-qwen2")]          // F16, two shards
    [TestCase("tiny-phi")]            // F16
    [TestCase("tiny-neox-parallel")]  // F16
    public void HalfPrecisionCheckpoints_StayResidentInTheirDtype(string name)
    {
        var folder = GoldenFile.ModelPath(name);
        var fileBytes = Directory.GetFiles(folder, "*.safetensors").Sum(f => new FileInfo(f).Length);

        var model = DecoderModel.Load(folder, new CpuBackend(1));

        // A fp32 copy would need twice the checkpoint's bytes; packing pads each matrix to 32 columns, and norms are not counted.
        Assert.That(model.ParameterBytes, Is.LessThan(fileBytes * 1.15));
        Assert.That(model.ParameterBytes, Is.GreaterThan(fileBytes * 0.5));
    }

    [Test]
    public void Fp32Checkpoint_IsHeldAsFp32()
    {
        var folder = GoldenFile.ModelPath("tiny-gpt2");
        var fileBytes = new FileInfo(Path.Combine(folder, "model.safetensors")).Length;

        var model = DecoderModel.Load(folder, new CpuBackend(1));

        Assert.That(model.ParameterBytes, Is.GreaterThan(fileBytes * 0.8));
    }
}
