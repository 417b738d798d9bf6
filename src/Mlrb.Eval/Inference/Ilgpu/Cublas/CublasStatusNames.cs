namespace Mlrb.Eval.Inference.Ilgpu.Cublas;

/// <summary>Names of <c>cublasStatus_t</c> codes (cublas_api.h), used when <c>cublasGetStatusName</c> is not exported.</summary>
internal static class CublasStatusNames
{
    /// <summary>The <c>CUBLAS_STATUS_*</c> name of <paramref name="status"/>, or <c>CUBLAS_STATUS_&lt;n&gt;</c> for an unknown code.</summary>
    public static string Of(int status) => status switch
    {
        0 => "CUBLAS_STATUS_SUCCESS",
        1 => "CUBLAS_STATUS_NOT_INITIALIZED",
        3 => "CUBLAS_STATUS_ALLOC_FAILED",
        7 => "CUBLAS_STATUS_INVALID_VALUE",
        8 => "CUBLAS_STATUS_ARCH_MISMATCH",
        11 => "CUBLAS_STATUS_MAPPING_ERROR",
        13 => "CUBLAS_STATUS_EXECUTION_FAILED",
        14 => "CUBLAS_STATUS_INTERNAL_ERROR",
        15 => "CUBLAS_STATUS_NOT_SUPPORTED",
        16 => "CUBLAS_STATUS_LICENSE_ERROR",
        _ => $"CUBLAS_STATUS_{status}",
    };
}
