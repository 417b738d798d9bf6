using Mlrb.Cli.Tests.Hostile;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary>
/// <c>--device</c> on every verb that runs a model: on a machine without an NVIDIA GPU, <c>cuda</c> fails with one line and no stack trace;
/// an unknown device is refused; <c>ilgpu-cpu</c> generates what the CPU engine generates.
/// </summary>
public class DeviceOptionTests
{
    private static readonly string Model = HostileCli.ReferenceModel("tiny-llama");

    private static bool MachineHasNvidiaDriver => File.Exists("/proc/driver/nvidia/version") || File.Exists("/dev/nvidiactl");

    private static IEnumerable<TestCaseData> VerbsWithCuda()
    {
        yield return new TestCaseData((object)new[] { "score", "--model", Model, "--context", "the cat", "--continuation", " sat", "--device", "cuda" }).SetName("score --device cuda");
        yield return new TestCaseData((object)new[] { "generate", "--model", Model, "--prompt", "the cat", "--max-new-tokens", "2", "--device", "cuda:0" }).SetName("generate --device cuda:0");
        yield return new TestCaseData((object)new[] { "serve", "--model", Model, "--port", "0", "--device", "cuda" }).SetName("serve --device cuda");
    }

    [TestCaseSource(nameof(VerbsWithCuda))]
    public async Task Cuda_WithoutAnNvidiaGpu_FailsWithOneLine(string[] args)
    {
        if (MachineHasNvidiaDriver)
        {
            Assert.Ignore("This machine has an NVIDIA driver: the no-GPU error cannot be provoked here.");
        }

        var result = await HostileCli.RunAsync(args);

        HostileCli.AssertOneLineError(result, "no CUDA device found");
    }

    [TestCase("score", "--context", "a", "--continuation", " b")]
    [TestCase("generate", "--prompt", "a", "--max-new-tokens", "1")]
    [TestCase("serve", "--port", "0")]
    public async Task UnknownDevice_IsRefused_NamingTheAcceptedOnes(string verb, params string[] rest)
    {
        var result = await HostileCli.RunAsync([verb, "--model", Model, .. rest, "--device", "tpu"]);

        HostileCli.AssertOneLineError(result, "tpu");
        Assert.That(result.Err, Does.Contain("cuda"));
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task Generate_OnTheIlgpuCpuAccelerator_GivesTheCpuEnginesGreedyText(CancellationToken cancellationToken)
    {
        string[] common = ["generate", "--model", Model, "--prompt", "the cat sat on", "--max-new-tokens", "6", "--ignore-eos", "--json"];

        var cpu = await CliInvoker.RunAsync([.. common, "--device", "cpu"]);
        var ilgpu = await CliInvoker.RunAsync([.. common, "--device", "ilgpu-cpu"]);

        Assert.That(cpu.Code, Is.Zero, cpu.Err);
        Assert.That(ilgpu.Code, Is.Zero, ilgpu.Err);
        var cpuText = System.Text.Json.JsonDocument.Parse(cpu.Out).RootElement.GetProperty("text").GetString();
        var ilgpuText = System.Text.Json.JsonDocument.Parse(ilgpu.Out).RootElement.GetProperty("text").GetString();
        Assert.That(cpuText, Is.Not.Empty);
        Assert.That(ilgpuText, Is.EqualTo(cpuText));
    }
}
