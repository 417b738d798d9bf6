using System.Runtime.InteropServices;
using Mlrb.Eval.Inference;
using Mlrb.Eval.Inference.Cpu;
using Mlrb.Eval.Inference.Ilgpu;

namespace Mlrb.Eval.Tests.Inference.Ilgpu;

/// <summary>Each ILGPU kernel (on ILGPU's CPU accelerator) against the same operation of the SIMD CPU backend, on random data.</summary>
[NonParallelizable]
public unsafe class IlgpuOperationTests
{
    private const float Tolerance = 2e-5f;
    private readonly CpuBackend _cpu = new(threads: 1);
    private readonly IlgpuBackend _gpu = new(IlgpuDevice.Open(ComputeDevice.Parse("ilgpu-cpu")));

    [TestCase((int)WeightType.F32, false, false, false)]
    [TestCase((int)WeightType.F16, false, true, false)]
    [TestCase((int)WeightType.BF16, true, true, true)]
    [TestCase((int)WeightType.F32, true, false, true)]
    public void MatMul_MatchesTheCpuBackend(int typeCode, bool inputMajor, bool bias, bool accumulate)
    {
        var type = (WeightType)typeCode;
        const int M = 7, K = 37, N = 29;
        var weights = Random(K * N, 1);
        var bits = ToType(weights, type);
        var biasValues = bias ? Random(N, 2) : null;
        var handle = GCHandle.Alloc(bits, GCHandleType.Pinned);
        try
        {
            var (rows, columns) = inputMajor ? (K, N) : (N, K);
            var tensor = new HostTensor((void*)handle.AddrOfPinnedObject(), type, rows, columns, columns);
            LinearPart[] parts = [new LinearPart(tensor, inputMajor, biasValues)];
            var a = Random(M * K, 3);
            var c0 = Random(M * N, 4);
            var expected = Run(_cpu, b => { var o = b.Upload(c0); b.MatMul(b.Upload(a), M, b.CreateLinear(K, parts, type), o, accumulate); return o; }, M * N);
            var actual = Run(_gpu, b => { var o = b.Upload(c0); b.MatMul(b.Upload(a), M, b.CreateLinear(K, parts, type), o, accumulate); return o; }, M * N);
            Assert.That(actual, Is.EqualTo(expected).Within(Tolerance), _gpu.Description);

            // The shared-memory tiled kernel (the GEMM of a GPU without a vendor library) is not the CPU accelerator's default: run it too.
            var device = IlgpuDevice.Open(ComputeDevice.Parse("ilgpu-cpu"));
            var tiled = new IlgpuBackend(device, gemm: new TiledGemm(device.Accelerator));
            var tiledActual = Run(tiled, b => { var o = b.Upload(c0); b.MatMul(b.Upload(a), M, b.CreateLinear(K, parts, type), o, accumulate); return o; }, M * N);
            Assert.That(tiledActual, Is.EqualTo(expected).Within(Tolerance), tiled.Description);
            Assert.That(tiled.Description, Does.Contain("tiled"));
            Assert.That(_gpu.Description, Does.Contain("direct"));
        }
        finally
        {
            handle.Free();
        }
    }

    [Test]
    public void MatMul_Bf16Precision_RoundsTheInputs_AsTheCpuBackend()
    {
        var cpu = new CpuBackend(1, ComputePrecision.BFloat16);
        var gpu = new IlgpuBackend(IlgpuDevice.Open(ComputeDevice.Parse("ilgpu-cpu")), ComputePrecision.BFloat16);
        const int M = 5, K = 33, N = 17;
        var w = Random(K * N, 5);
        var handle = GCHandle.Alloc(w, GCHandleType.Pinned);
        try
        {
            LinearPart[] parts = [new LinearPart(new HostTensor((void*)handle.AddrOfPinnedObject(), WeightType.F32, N, K, K), false, null)];
            var a = Random(M * K, 6);
            var expected = Run(cpu, b => { var o = b.Allocate(M * N); b.MatMul(b.Upload(a), M, b.CreateLinear(K, parts, WeightType.F32), o, false); return o; }, M * N);
            var actual = Run(gpu, b => { var o = b.Allocate(M * N); b.MatMul(b.Upload(a), M, b.CreateLinear(K, parts, WeightType.F32), o, false); return o; }, M * N);
            var exact = Run(_cpu, b => { var o = b.Allocate(M * N); b.MatMul(b.Upload(a), M, b.CreateLinear(K, parts, WeightType.F32), o, false); return o; }, M * N);
            Assert.That(actual, Is.EqualTo(expected).Within(Tolerance));
            Assert.That(actual, Is.Not.EqualTo(exact).Within(1e-6f), "bf16 rounding must show");
        }
        finally
        {
            handle.Free();
        }
    }

    [TestCase((int)NormKind.LayerNorm, true, true)]
    [TestCase((int)NormKind.LayerNorm, false, false)]
    [TestCase((int)NormKind.RmsNorm, true, false)]
    [TestCase((int)NormKind.RmsNorm, false, false)]
    public void Normalize_MatchesTheCpuBackend(int kindCode, bool weight, bool bias)
    {
        var kind = (NormKind)kindCode;
        const int Rows = 5, Width = 48;
        var x = Random(Rows * Width, 7);
        var w = Random(Width, 8);
        var b = Random(Width, 9);
        DeviceBuffer Body(IComputeBackend be)
        {
            var input = be.Upload(x);
            be.Normalize(kind, input, Rows, Width, weight ? be.Upload(w) : null, bias ? be.Upload(b) : null, 1e-5f, input);
            return input;
        }

        Assert.That(Run(_gpu, Body, Rows * Width), Is.EqualTo(Run(_cpu, Body, Rows * Width)).Within(Tolerance));
    }

    [TestCase((int)ActivationFunction.GeluTanh, false)]
    [TestCase((int)ActivationFunction.GeluErf, false)]
    [TestCase((int)ActivationFunction.Relu, false)]
    [TestCase((int)ActivationFunction.Silu, true)]
    [TestCase((int)ActivationFunction.GeluTanh, true)]
    public void Activate_MatchesTheCpuBackend(int functionCode, bool gated)
    {
        var function = (ActivationFunction)functionCode;
        const int Rows = 3, Width = 40;
        var x = Random(Rows * Width, 10, scale: 4f);
        var outWidth = gated ? Width / 2 : Width;
        DeviceBuffer Body(IComputeBackend be)
        {
            var o = be.Allocate(Rows * outWidth);
            be.Activate(new Activation(function, gated), be.Upload(x), Rows, Width, o);
            return o;
        }

        Assert.That(Run(_gpu, Body, Rows * outWidth), Is.EqualTo(Run(_cpu, Body, Rows * outWidth)).Within(Tolerance));
    }

    [Test]
    public void AddScaleSoftCap_MatchTheCpuBackend()
    {
        var x = Random(100, 11, scale: 30f);
        var y = Random(100, 12);
        DeviceBuffer Body(IComputeBackend be)
        {
            var a = be.Upload(x);
            be.Add(a, be.Upload(y), 90);
            be.Scale(a, 80, 1.5f);
            be.SoftCap(a, 70, 20f);
            return a;
        }

        Assert.That(Run(_gpu, Body, 100), Is.EqualTo(Run(_cpu, Body, 100)).Within(Tolerance));
    }

    [Test]
    public void GatherSelectRotaryStoreAndAttention_WithAPrefixWindowAndSoftCap_MatchTheCpuBackend()
    {
        var layout = new QkvLayout(QueryHeads: 4, KeyValueHeads: 2, HeadDimension: 8);
        const int Vocabulary = 11, Past = 3;
        var table = Random(Vocabulary * layout.Width, 13);
        var options = new AttentionOptions(Scale: 0.35f, SoftCap: 5f, SlidingWindow: 4);
        var length = (8 * layout.QueryWidth) + 64;
        var output = Run(_cpu, b => Forward(b, table, layout, options, Past), length);
        var actual = Run(_gpu, b => Forward(b, table, layout, options, Past), length);
        Assert.That(actual, Is.EqualTo(output).Within(Tolerance));
    }

    [Test]
    public void ScoreRows_MatchesTheCpuBackend()
    {
        const int Rows = 4, Width = 300;
        var x = Random(Rows * Width, 14, scale: 8f);
        x[Width + 7] = 100f;
        x[Width + 9] = 100f; // a tie: the first index wins
        IReadOnlyList<int>[] targets = [[0, 299], [7, 9, 9], [], [5]];
        var cpu = _cpu.ScoreRows(_cpu.Upload(x), Rows, Width, targets);
        var gpu = _gpu.ScoreRows(_gpu.Upload(x), Rows, Width, targets);
        Assert.Multiple(() =>
        {
            Assert.That(gpu.LogSumExp, Is.EqualTo(cpu.LogSumExp).Within(1e-5));
            Assert.That(gpu.ArgMax, Is.EqualTo(cpu.ArgMax));
            Assert.That(gpu.ArgMax[1], Is.EqualTo(7));
            for (var r = 0; r < Rows; r++)
            {
                Assert.That(gpu.TargetLogits[r], Is.EqualTo(cpu.TargetLogits[r]));
            }
        });
    }

    [Test]
    public void KvCaches_AreCountedAsCacheMemory()
    {
        var backend = new IlgpuBackend(IlgpuDevice.Open(ComputeDevice.Parse("ilgpu-cpu")));
        var before = backend.Memory.Current(DeviceMemoryKind.KeyValueCache);
        var cache = new KvCache(backend, layers: 2, capacity: 10, kvDim: 8);
        Assert.That(backend.Memory.Current(DeviceMemoryKind.KeyValueCache) - before, Is.EqualTo(2 * 2 * 10 * 8 * sizeof(float)));
        GC.KeepAlive(cache);
    }

    /// <summary>Two sequences: the first continues a cached prefix of <paramref name="past"/> tokens, the second stands alone.</summary>
    private static DeviceBuffer Forward(IComputeBackend be, float[] tableValues, QkvLayout layout, AttentionOptions options, int past)
    {
        var handle = GCHandle.Alloc(tableValues, GCHandleType.Pinned);
        try
        {
            var table = be.CreateEmbedding(HostTensor.FromPinned(tableValues, tableValues.Length / layout.Width, layout.Width), WeightType.F32);
            var prefix = new KvCache(be, 1, 16, layout.KeyValueWidth);
            var first = new ForwardBatch([1, 2, 3], [0, 3], [0, 1, 2], stores: [prefix]);
            var qkv0 = be.Allocate(3 * layout.Width);
            var db0 = Prepare(be, first, [0, 1, 2], layout);
            be.Gather(db0, table, false, 0, qkv0, false);
            be.Rotary(db0, qkv0, layout, 6);
            be.StoreKeyValues(db0, 0, qkv0, layout);
            prefix.Length = past;

            var second = new ForwardBatch([4, 5, 6, 7, 8, 9, 10, 0], [0, 3, 8], [2, 0, 5, 7], prefixes: [prefix, null]);
            var positions = new[] { 3, 4, 5, 0, 1, 2, 3, 4 };
            var db = Prepare(be, second, positions, layout);
            var qkv = be.Allocate(8 * layout.Width);
            be.Gather(db, table, false, 0, qkv, false);
            be.Gather(db, table, true, 1, qkv, true);
            be.Rotary(db, qkv, layout, 6);
            var result = be.Allocate((8 * layout.QueryWidth) + 64);
            var attention = result.Slice(0, 8 * layout.QueryWidth);
            be.Attention(db, 0, qkv, layout, options, attention);
            be.SelectRows(db, attention, layout.QueryWidth / 2, result.Slice(8 * layout.QueryWidth, 64));
            return result;
        }
        finally
        {
            handle.Free();
        }
    }

    private static DeviceBatch Prepare(IComputeBackend be, ForwardBatch batch, int[] positions, QkvLayout layout)
    {
        var half = 3;
        var cos = new float[positions.Length * half];
        var sin = new float[positions.Length * half];
        for (var t = 0; t < positions.Length; t++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = positions[t] * Math.Pow(10000, -2.0 * i / 6);
                cos[(t * half) + i] = (float)Math.Cos(angle);
                sin[(t * half) + i] = (float)Math.Sin(angle);
            }
        }

        _ = layout;
        return be.Prepare(batch, positions, cos, sin);
    }

    private static float[] Run(IComputeBackend backend, Func<IComputeBackend, DeviceBuffer> body, int length)
    {
        var result = new float[length];
        backend.Download(body(backend), result);
        return result;
    }

    private static float[] Random(int length, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();
    }

    private static Array ToType(float[] values, WeightType type)
    {
        if (type == WeightType.F32)
        {
            return values;
        }

        var bits = new ushort[values.Length];
        fixed (ushort* d = bits)
        {
            ElementConversion.FromSingle(values, type, (byte*)d);
        }

        return bits;
    }
}
