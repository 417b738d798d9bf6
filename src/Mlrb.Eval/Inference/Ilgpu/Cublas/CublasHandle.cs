namespace Mlrb.Eval.Inference.Ilgpu.Cublas;

/// <summary>
/// One <c>cublasHandle_t</c> bound to a CUDA stream. Create it on a thread where the device's CUDA context is current (ILGPU:
/// <c>accelerator.Bind()</c>); cuBLAS then uses that context. Math mode is <c>CUBLAS_DEFAULT_MATH</c>, so fp32 GEMMs run without TF32
/// (results comparable with the CPU backend) unless <c>allowTf32</c> was set at creation.
/// UNVERIFIED on NVIDIA hardware: written from cublas_api.h signatures; no run on a GPU has happened yet.
/// </summary>
internal sealed unsafe class CublasHandle : IDisposable
{
    private readonly CublasApi api;
    private nint handle;

    private CublasHandle(CublasApi api, nint handle)
    {
        this.api = api;
        this.handle = handle;
    }

    /// <summary>The library version (<c>cublasGetVersion_v2</c>, e.g. 130001 for 13.0.1).</summary>
    public int Version { get; private init; }

    /// <summary>Creates a handle on <paramref name="stream"/> (a <c>CUstream</c>/<c>cudaStream_t</c>; 0 = the legacy default stream).</summary>
    /// <param name="api">The bound library.</param>
    /// <param name="stream">The stream every GEMM is queued on.</param>
    /// <param name="allowTf32">Let fp32 GEMMs use TF32 tensor cores (about 1e-3 relative error); false keeps fp32 exact-ish.</param>
    public static CublasHandle Create(CublasApi api, nint stream, bool allowTf32 = false)
    {
        ArgumentNullException.ThrowIfNull(api);
        nint h;
        api.Check(api.Create(&h), "cublasCreate_v2");
        try
        {
            api.Check(api.SetStream(h, stream), "cublasSetStream_v2");
            api.Check(api.SetMathMode(h, (int)(allowTf32 ? CublasMath.Tf32TensorOp : CublasMath.Default)), "cublasSetMathMode");
            int version;
            api.Check(api.GetVersion(h, &version), "cublasGetVersion_v2");
            return new CublasHandle(api, h) { Version = version };
        }
        catch
        {
            _ = api.Destroy(h);
            throw;
        }
    }

    /// <summary>fp32 GEMM (<c>cublasSgemm_v2</c>) on device pointers.</summary>
    public void Sgemm(in CublasGemmCall call, nint a, nint b, nint c)
    {
        call.Validate();
        var alpha = call.Alpha;
        var beta = call.Beta;
        api.Check(
            api.Sgemm(Live(), (int)call.TransA, (int)call.TransB, call.M, call.N, call.K, &alpha, a, call.Lda, b, call.Ldb, &beta, c, call.Ldc),
            "cublasSgemm_v2");
    }

    /// <summary>
    /// Mixed-type GEMM (<c>cublasGemmEx</c>): A and B of <paramref name="inputType"/> (bf16 or fp16; cuBLAS wants both the same), fp32 C,
    /// fp32 accumulation (<c>CUBLAS_COMPUTE_32F</c>, tensor cores) and the default algorithm.
    /// </summary>
    public void GemmEx(in CublasGemmCall call, nint a, nint b, CudaDataType inputType, nint c)
    {
        call.Validate();
        var alpha = call.Alpha;
        var beta = call.Beta;
        api.Check(
            api.GemmEx(
                Live(), (int)call.TransA, (int)call.TransB, call.M, call.N, call.K, &alpha,
                a, (int)inputType, call.Lda, b, (int)inputType, call.Ldb, &beta,
                c, (int)CudaDataType.R32F, call.Ldc, (int)CublasComputeType.Compute32F, (int)CublasGemmAlgo.Default),
            "cublasGemmEx");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (handle != 0)
        {
            _ = api.Destroy(handle);
            handle = 0;
        }
    }

    private nint Live() => handle != 0 ? handle : throw new ObjectDisposedException(nameof(CublasHandle));
}
