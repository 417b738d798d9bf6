using System.Diagnostics;
using System.Globalization;
using Mlrb.Eval.Inference.Cpu;

namespace Mlrb.Benchmarks;

/// <summary>
/// <c>gemm [MxKxN|size] [threads] [kernels]</c>: best-of-N wall time of one fp32 GEMM <c>C[M,N] = A[M,K]·B[K,N]</c>, printed as GFLOP/s for
/// benchmarks/scripts/compare-torch.sh. <c>kernels</c> is a comma list of scalar, vector128, avx2, avx512 (each the CPU supports) or
/// <c>all</c>; the default is the kernel the engine picks.
/// </summary>
internal static class GemmComparison
{
    public static void Run(string[] args)
    {
        var shape = (args.Length > 0 ? args[0] : "1024").Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var (m, k, n) = shape.Length == 3 ? (shape[0], shape[1], shape[2]) : (shape[0], shape[0], shape[0]);
        var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var best = Gemm.SelectKernel(null);
        var kernels = args.Length < 3 ? [Gemm.Kernel]
            : args[2] == "all" ? Enum.GetValues<GemmKernel>().Where(x => x <= best).Reverse().ToArray()
            : args[2].Split(',').Select(Gemm.SelectKernel).ToArray();
        var rng = new Random(1);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble()).ToArray();
        var b = PackedMatrix.FromInputByOutput(Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble()).ToArray(), k, n);
        var c = new float[m * n];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var flop = 2.0 * m * k * n;
        var saved = Gemm.Kernel;
        try
        {
            foreach (var kernel in kernels)
            {
                Gemm.Kernel = kernel;
                var fastest = double.MaxValue;
                var total = Stopwatch.StartNew();
                for (var i = 0; i < 50 && (i < 5 || total.Elapsed.TotalSeconds < 2); i++)
                {
                    var sw = Stopwatch.StartNew();
                    Gemm.Multiply(a, m, b, c, accumulate: false, parallel);
                    fastest = Math.Min(fastest, sw.Elapsed.TotalSeconds);
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"mlrb gemm {m}x{k}x{n} kernel={kernel} threads={threads}: {fastest * 1e3:F3} ms, {flop / fastest / 1e9:F1} GFLOP/s"));
            }
        }
        finally
        {
            Gemm.Kernel = saved;
        }
    }
}
