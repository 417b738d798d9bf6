namespace Mlrb.Eval.Inference.Ilgpu.Cublas;

/// <summary>
/// The arguments of one column-major cuBLAS GEMM, <c>C = α·op(A)·op(B) + β·C</c> with op(A) <c>m×k</c>, op(B) <c>k×n</c>, C <c>m×n</c>,
/// and <c>ld*</c> the element distance between consecutive columns of each stored matrix. A is always the weights, B the activations,
/// C the output (see <see cref="ForLinear"/>).
/// </summary>
/// <param name="TransA">op(A).</param>
/// <param name="TransB">op(B).</param>
/// <param name="M">Rows of op(A) and C.</param>
/// <param name="N">Columns of op(B) and C.</param>
/// <param name="K">The inner dimension.</param>
/// <param name="Lda">Leading dimension of A.</param>
/// <param name="Ldb">Leading dimension of B.</param>
/// <param name="Ldc">Leading dimension of C.</param>
/// <param name="Alpha">α.</param>
/// <param name="Beta">β (1 accumulates into C, 0 overwrites it).</param>
internal readonly record struct CublasGemmCall(
    CublasOperation TransA, CublasOperation TransB, int M, int N, int K, int Lda, int Ldb, int Ldc, float Alpha, float Beta)
{
    /// <summary>
    /// The call for the engine's linear layer <c>Y[rows, outputs] (+)= X[rows, inputs] · W</c> on row-major buffers
    /// (<see cref="IComputeBackend.MatMul"/>; the bias is added by a separate kernel).
    /// <para>
    /// Row-major vs column-major: a row-major <c>[r, c]</c> buffer is, to cuBLAS, the column-major matrix of its transpose (<c>c×r</c>,
    /// ld = row stride). So instead of <c>Y = X·Wᵀ</c> we ask cuBLAS for <c>Yᵀ = W·Xᵀ</c>: A = the weight buffer, B = the activation buffer,
    /// C = the output buffer, nothing is copied or transposed in memory.
    /// </para>
    /// <list type="bullet">
    /// <item>Weights <c>[outputs, inputs]</c> (PyTorch <c>nn.Linear</c>): cuBLAS sees <c>Wᵀ</c> (<c>inputs×outputs</c>, ld = inputs), so op(A) = T:
    /// <c>(T, N, m = outputs, n = rows, k = inputs, lda = inputs, ldb = inputStride, ldc = outputStride)</c>.</item>
    /// <item>Weights <c>[inputs, outputs]</c> (GPT-2 <c>Conv1D</c>): cuBLAS sees <c>W</c> as <c>outputs×inputs</c> with ld = outputs, so op(A) = N:
    /// <c>(N, N, outputs, rows, inputs, lda = outputs, ...)</c>.</item>
    /// </list>
    /// </summary>
    /// <param name="rows">Rows of X and Y (tokens).</param>
    /// <param name="inputs">K.</param>
    /// <param name="outputs">N of the layer.</param>
    /// <param name="inputMajorWeights">Whether W is stored <c>[inputs, outputs]</c> rather than <c>[outputs, inputs]</c>.</param>
    /// <param name="accumulate">Add to Y instead of overwriting it.</param>
    /// <param name="inputStride">Elements between consecutive rows of X (default <paramref name="inputs"/>).</param>
    /// <param name="outputStride">Elements between consecutive rows of Y (default <paramref name="outputs"/>).</param>
    public static CublasGemmCall ForLinear(int rows, int inputs, int outputs, bool inputMajorWeights, bool accumulate, int? inputStride = null, int? outputStride = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        var call = new CublasGemmCall(
            inputMajorWeights ? CublasOperation.None : CublasOperation.Transpose,
            CublasOperation.None,
            M: outputs,
            N: rows,
            K: inputs,
            Lda: inputMajorWeights ? outputs : inputs,
            Ldb: inputStride ?? inputs,
            Ldc: outputStride ?? outputs,
            Alpha: 1f,
            Beta: accumulate ? 1f : 0f);
        call.Validate();
        return call;
    }

    /// <summary>Checks the argument rules cuBLAS enforces (it returns <c>CUBLAS_STATUS_INVALID_VALUE</c> otherwise).</summary>
    /// <exception cref="ArgumentException">A dimension is negative or a leading dimension is too small.</exception>
    public void Validate()
    {
        if (M < 0 || N < 0 || K < 0)
        {
            throw new ArgumentException($"GEMM dimensions must not be negative (m={M}, n={N}, k={K}).");
        }

        // Stored A is m×k (op N) or k×m (op T); stored B is k×n (op N) or n×k (op T); C is m×n. ld ≥ max(1, stored rows).
        var aRows = TransA == CublasOperation.None ? M : K;
        var bRows = TransB == CublasOperation.None ? K : N;
        if (Lda < Math.Max(1, aRows) || Ldb < Math.Max(1, bRows) || Ldc < Math.Max(1, M))
        {
            throw new ArgumentException($"GEMM leading dimensions too small: lda={Lda} (needs ≥ {Math.Max(1, aRows)}), ldb={Ldb} (≥ {Math.Max(1, bRows)}), ldc={Ldc} (≥ {Math.Max(1, M)}).");
        }
    }

    /// <summary>Elements of A the call reads (the extent of its stored matrix), for bounds checks against device buffers.</summary>
    public long AExtent => Extent(Lda, TransA == CublasOperation.None ? M : K, TransA == CublasOperation.None ? K : M);

    /// <summary>Elements of B the call reads.</summary>
    public long BExtent => Extent(Ldb, TransB == CublasOperation.None ? K : N, TransB == CublasOperation.None ? N : K);

    /// <summary>Elements of C the call touches.</summary>
    public long CExtent => Extent(Ldc, M, N);

    private static long Extent(int ld, int rows, int columns) => columns == 0 || rows == 0 ? 0 : ((long)(columns - 1) * ld) + rows;
}
