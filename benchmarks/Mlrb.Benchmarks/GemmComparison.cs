using System.Diagnostics;
using System.Globalization;
using Mlrb.Eval.Inference;
using Mlrb.Eval.Inference.Cpu;

namespace Mlrb.Benchmarks;

/// <summary><c>gemm [size] [threads]</c>: best-of-N wall time of one GEMM, printed as GFLOP/s for benchmarks/scripts/compare-torch.sh.</summary>
internal static class GemmComparison
{
    public static void Run(string[] args)
    {
        var size = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
        var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var rng = new Random(1);
        var a = Enumerable.Range(0, size * size).Select(_ => (float)rng.NextDouble()).ToArray();
        var b = PackedMatrix.FromInputByOutput(Enumerable.Range(0, size * size).Select(_ => (float)rng.NextDouble()).ToArray(), size, size);
        var c = new float[size * size];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var best = double.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            var sw = Stopwatch.StartNew();
            Gemm.Multiply(a, size, b, c, accumulate: false, parallel);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }

        var gflops = 2.0 * size * size * size / best / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlrb gemm {size}^3 threads={threads}: {best * 1e3:F2} ms, {gflops:F1} GFLOP/s"));
    }
}
