namespace Mlrb.Eval.Inference.Ilgpu.Cublas;

// Numeric values of the cuBLAS / CUDA C enums this binding passes (cublas_api.h, library_types.h), as listed in
// ../shared/specs/cuda-from-dotnet.md §4.5 and NVIDIA's nvmath-python bindings. C enums are 32-bit ints on linux-x64.

/// <summary><c>cublasOperation_t</c>: whether cuBLAS reads a matrix as stored (N) or transposed (T).</summary>
internal enum CublasOperation
{
    /// <summary><c>CUBLAS_OP_N</c>.</summary>
    None = 0,

    /// <summary><c>CUBLAS_OP_T</c>.</summary>
    Transpose = 1,
}

/// <summary><c>cudaDataType_t</c> of the element types the GEMMs use.</summary>
internal enum CudaDataType
{
    /// <summary><c>CUDA_R_32F</c>.</summary>
    R32F = 0,

    /// <summary><c>CUDA_R_16F</c>.</summary>
    R16F = 2,

    /// <summary><c>CUDA_R_16BF</c>.</summary>
    R16BF = 14,
}

/// <summary><c>cublasComputeType_t</c> values used here.</summary>
internal enum CublasComputeType
{
    /// <summary><c>CUBLAS_COMPUTE_32F</c>: fp32 accumulation (tensor cores for 16-bit inputs; plain fp32 FMA for fp32 inputs under default math).</summary>
    Compute32F = 68,

    /// <summary><c>CUBLAS_COMPUTE_32F_PEDANTIC</c>: fp32 with every reduced-precision shortcut forbidden.</summary>
    Compute32FPedantic = 69,
}

/// <summary><c>cublasMath_t</c> values used here.</summary>
internal enum CublasMath
{
    /// <summary><c>CUBLAS_DEFAULT_MATH</c>: no TF32 for fp32 routines (what keeps fp32 comparable with the CPU backend).</summary>
    Default = 0,

    /// <summary><c>CUBLAS_PEDANTIC_MATH</c>.</summary>
    Pedantic = 2,

    /// <summary><c>CUBLAS_TF32_TENSOR_OP_MATH</c>: TF32 for fp32 routines (about 1e-3 relative error; never used by default).</summary>
    Tf32TensorOp = 3,
}

/// <summary><c>cublasGemmAlgo_t</c> values used here.</summary>
internal enum CublasGemmAlgo
{
    /// <summary><c>CUBLAS_GEMM_DEFAULT</c> (−1): cuBLAS picks the algorithm; with 16-bit inputs and fp32 compute that is a tensor-core kernel.</summary>
    Default = -1,

    /// <summary><c>CUBLAS_GEMM_DEFAULT_TENSOR_OP</c> (99): the deprecated explicit tensor-op alias, kept for cuBLAS 11.</summary>
    DefaultTensorOp = 99,
}
