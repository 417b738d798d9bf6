using System.Runtime.InteropServices;

namespace Mlrb.Eval.Inference.Ilgpu.Cublas;

/// <summary>
/// The cuBLAS entry points this engine calls, resolved once from a loaded <see cref="CublasLibrary"/> into unmanaged function pointers
/// (so nothing can throw <see cref="DllNotFoundException"/> on a machine without CUDA). Versioned names where cuBLAS has them
/// (<c>cublasCreate_v2</c>, <c>cublasSgemm_v2</c>, ...); all handles are <c>nint</c>, device pointers <c>nint</c>, enums <c>int</c>.
/// Signatures follow cublas_api.h (see ../shared/specs/cuda-from-dotnet.md §4.1–4.2). UNVERIFIED on NVIDIA hardware.
/// </summary>
internal sealed unsafe class CublasApi
{
    private CublasApi(CublasLibrary library)
    {
        Library = library;
        Create = (delegate* unmanaged<nint*, int>)Export(library, "cublasCreate_v2");
        Destroy = (delegate* unmanaged<nint, int>)Export(library, "cublasDestroy_v2");
        SetStream = (delegate* unmanaged<nint, nint, int>)Export(library, "cublasSetStream_v2");
        SetMathMode = (delegate* unmanaged<nint, int, int>)Export(library, "cublasSetMathMode");
        GetVersion = (delegate* unmanaged<nint, int*, int>)Export(library, "cublasGetVersion_v2");
        Sgemm = (delegate* unmanaged<nint, int, int, int, int, int, float*, nint, int, nint, int, float*, nint, int, int>)Export(library, "cublasSgemm_v2");
        GemmEx = (delegate* unmanaged<nint, int, int, int, int, int, float*, nint, int, int, nint, int, int, float*, nint, int, int, int, int, int>)Export(library, "cublasGemmEx");
        GetStatusString = NativeLibrary.TryGetExport(library.Handle, "cublasGetStatusString", out var s) ? (delegate* unmanaged<int, byte*>)s : null;
    }

    /// <summary>The library the pointers came from.</summary>
    public CublasLibrary Library { get; }

    /// <summary><c>cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)</c>.</summary>
    public delegate* unmanaged<nint*, int> Create { get; }

    /// <summary><c>cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)</c>.</summary>
    public delegate* unmanaged<nint, int> Destroy { get; }

    /// <summary><c>cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t stream)</c>.</summary>
    public delegate* unmanaged<nint, nint, int> SetStream { get; }

    /// <summary><c>cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)</c>.</summary>
    public delegate* unmanaged<nint, int, int> SetMathMode { get; }

    /// <summary><c>cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version)</c>.</summary>
    public delegate* unmanaged<nint, int*, int> GetVersion { get; }

    /// <summary>
    /// <c>cublasSgemm_v2(handle, transa, transb, m, n, k, const float *alpha, const float *A, lda, const float *B, ldb, const float *beta, float *C, ldc)</c>.
    /// </summary>
    public delegate* unmanaged<nint, int, int, int, int, int, float*, nint, int, nint, int, float*, nint, int, int> Sgemm { get; }

    /// <summary>
    /// <c>cublasGemmEx(handle, transa, transb, m, n, k, const void *alpha, const void *A, Atype, lda, const void *B, Btype, ldb,
    /// const void *beta, void *C, Ctype, ldc, computeType, algo)</c>; alpha and beta are floats for every <c>COMPUTE_32F*</c> type.
    /// </summary>
    public delegate* unmanaged<nint, int, int, int, int, int, float*, nint, int, int, nint, int, int, float*, nint, int, int, int, int, int> GemmEx { get; }

    /// <summary><c>const char* cublasGetStatusString(cublasStatus_t)</c> (owned by the library), or null where not exported.</summary>
    public delegate* unmanaged<int, byte*> GetStatusString { get; }

    /// <summary>Resolves the entry points of <paramref name="library"/>.</summary>
    /// <exception cref="CublasException">A required export is missing.</exception>
    public static CublasApi Bind(CublasLibrary library) => new(library ?? throw new ArgumentNullException(nameof(library)));

    /// <summary>Throws a one-line <see cref="CublasException"/> naming <paramref name="function"/> when <paramref name="status"/> is not success.</summary>
    public void Check(int status, string function)
    {
        if (status == 0)
        {
            return;
        }

        var text = GetStatusString is null ? null : Marshal.PtrToStringUTF8((nint)GetStatusString(status));
        throw new CublasException($"{function} failed: {CublasStatusNames.Of(status)} ({status}){(string.IsNullOrEmpty(text) ? string.Empty : ": " + text)}.");
    }

    private static nint Export(CublasLibrary library, string name)
        => NativeLibrary.TryGetExport(library.Handle, name, out var address)
            ? address
            : throw new CublasException($"{library.Path} does not export {name}: not a cuBLAS 11, 12 or 13 library.");
}
