using Mlrb.Eval.Inference.Ilgpu.Cublas;

namespace Mlrb.Eval.Tests.Inference.Cublas;

/// <summary>
/// A managed emulator of BLAS <c>?gemm</c> exactly as the reference BLAS defines it (column-major, <c>C = α·op(A)·op(B) + β·C</c>, leading
/// dimensions), accumulating in double. It reads only the elements BLAS may read, so a wrong leading dimension or extent shows up
/// as an <see cref="IndexOutOfRangeException"/> or a wrong result, as it would on the GPU.
/// </summary>
internal static class ColumnMajorBlas
{
    public static void Gemm(CublasGemmCall call, float[] a, float[] b, float[] c)
    {
        call.Validate();
        for (var j = 0; j < call.N; j++)
        {
            for (var i = 0; i < call.M; i++)
            {
                var sum = 0.0;
                for (var l = 0; l < call.K; l++)
                {
                    var opA = call.TransA == CublasOperation.None ? a[i + ((long)l * call.Lda)] : a[l + ((long)i * call.Lda)];
                    var opB = call.TransB == CublasOperation.None ? b[l + ((long)j * call.Ldb)] : b[j + ((long)l * call.Ldb)];
                    sum += (double)opA * opB;
                }

                var index = i + ((long)j * call.Ldc);
                c[index] = (float)((call.Alpha * sum) + (call.Beta == 0 ? 0 : call.Beta * (double)c[index]));
            }
        }
    }
}
