using BenchmarkDotNet.Attributes;
using Mlrb.Eval.Inference;
using Mlrb.Eval.Inference.Cpu;

namespace Mlrb.Benchmarks;

/// <summary>fp32 GEMM C[M,N] = A[M,K]·B[K,N] with B pre-packed (as model weights are).</summary>
[MemoryDiagnoser]
#if DEBUG
[ShortRunJob]
#endif
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _c = [];
    private PackedMatrix _b = null!;
    private ParallelOptions _parallel = new();

    [Params(1024)]
    public int Size { get; set; }

    [Params(2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _a = Enumerable.Range(0, Size * Size).Select(_ => (float)rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, Size * Size).Select(_ => (float)rng.NextDouble()).ToArray();
        _b = PackedMatrix.FromInputByOutput(b, Size, Size);
        _c = new float[Size * Size];
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads };
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply(_a, Size, _b, _c, accumulate: false, _parallel);
}
