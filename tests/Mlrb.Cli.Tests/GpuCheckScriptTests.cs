using System.Diagnostics;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary>
/// benchmarks/scripts/gpu-check.sh in its CI mode (tiny models, no NVIDIA GPU), against the CLI this test project just built, so the script
/// that will run on a GPU machine cannot rot. The figures it measures here are not asserted as performance, only as present and sane.
/// </summary>
[Category("Slow")]
public class GpuCheckScriptTests
{
    private const string Device = "ilgpu-cpu";

    [Test]
    [CancelAfter(660_000)]
    public async Task CiMode_WritesOneReportWithEveryStep(CancellationToken cancellationToken)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : FindOnPath("python3");
        if (python is null)
        {
            Assert.Ignore("gpu-check.sh needs python3, which is not on this machine.");
        }

        var dir = TestPaths.CreateTempDirectory("mlrb-gpu-check");
        var report = Path.Combine(dir, "report.json");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        var args = new List<string>
        {
            Path.Combine(TestPaths.RepositoryRoot, "benchmarks", "scripts", "gpu-check.sh"),
            "--mlrb", $"{TestPaths.DotnetHost()} {Path.Combine(AppContext.BaseDirectory, "mlrb.dll")}",
            "--device", Device, "--out", report, "--budget", "540",
        };
        if (TestPaths.SharedData is { } shared && Directory.Exists(Path.Combine(shared, "benchmarks", "blimp")))
        {
            args.AddRange(["--data", Path.Combine(shared, "benchmarks")]);
        }

        args.ForEach(start.ArgumentList.Add);
        start.Environment["PYTHON"] = python;
        start.Environment["OPENBLAS_CORETYPE"] = "Haswell";
        start.Environment["TMPDIR"] = dir;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var transcript = await stdout + await stderr;
        Assert.That(process.ExitCode, Is.Zero, transcript);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("device").GetString(), Is.EqualTo(Device));
        Assert.That(root.GetProperty("scale").GetString(), Is.EqualTo("tiny"));
        Assert.That(root.GetProperty("pass").GetBoolean(), Is.True);

        var parity = root.GetProperty("parity").GetProperty("models");
        var referenceModels = Directory.GetDirectories(Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models"))
            .Where(d => File.Exists(Path.Combine(d, "config.json"))).Select(Path.GetFileName);
        Assert.That(parity.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(referenceModels));
        foreach (var model in parity.EnumerateObject())
        {
            Assert.That(model.Value.GetProperty("max_abs_diff").GetDouble(), Is.LessThanOrEqualTo(1e-4), model.Name);
            Assert.That(model.Value.GetProperty("greedy_mismatches").GetInt32(), Is.Zero, model.Name);
            Assert.That(model.Value.GetProperty("requests").GetInt32(), Is.EqualTo(17), model.Name);
        }

        var throughput = root.GetProperty("throughput");
        var torchMeasured = throughput.GetProperty("torch").GetString() == "measured";
        foreach (var (shape, workload) in new[] { ("gpt2_tiny", "blimp_like"), ("llama_tiny", "mmlu_5shot_like") })
        {
            {
                var w = throughput.GetProperty("shapes").GetProperty(shape).GetProperty(workload);
                foreach (var dtype in new[] { "fp32", "bf16" })
                {
                    Assert.That(w.GetProperty("mlrb").GetProperty(dtype).GetProperty("tokens_per_second").GetDouble(), Is.GreaterThan(0), $"{shape} {workload} {dtype}");
                    if (torchMeasured)
                    {
                        var sizes = w.GetProperty("torch").GetProperty(dtype).GetProperty("batch_sizes");
                        Assert.That(sizes.GetProperty("1").GetProperty("tokens_per_second").GetDouble(), Is.GreaterThan(0), $"torch {shape} {workload} {dtype}");
                        Assert.That(w.GetProperty("ratio_mlrb_to_torch").GetProperty(dtype).GetProperty("batch_8").GetDouble(), Is.GreaterThan(0));
                    }
                }
            }
        }

        if (!torchMeasured)
        {
            Assert.That(throughput.GetProperty("torch").GetString(), Does.Contain("skipped"));
        }

        var blimp = root.GetProperty("blimp_all_pairs");
        Assert.That(blimp.GetProperty("pairs").GetInt32(), Is.EqualTo(200));
        Assert.That(blimp.GetProperty("requests").GetInt32(), Is.EqualTo(400));
        Assert.That(blimp.GetProperty("score_seconds").GetDouble(), Is.GreaterThan(0));

        var slices = root.GetProperty("slices");
        if (!slices.TryGetProperty("skipped", out _))
        {
            Assert.That(slices.GetProperty("blimp").GetProperty("prediction_mismatches").GetInt32(), Is.Zero);
            Assert.That(slices.GetProperty("blimp").GetProperty("documents").GetInt32(), Is.GreaterThan(10));
        }

        Directory.Delete(dir, recursive: true);
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
}
