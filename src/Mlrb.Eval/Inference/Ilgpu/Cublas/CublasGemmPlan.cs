namespace Mlrb.Eval.Inference.Ilgpu.Cublas;

/// <summary>What one step of a cuBLAS matrix product does.</summary>
internal enum CublasGemmStepKind
{
    /// <summary><c>cublasSgemm_v2</c> on the fp32 weights as stored.</summary>
    Sgemm,

    /// <summary>Widen a block of fp16/bf16 weight rows to fp32 scratch (exact), then <c>cublasSgemm_v2</c> into that block's output columns.</summary>
    WidenThenSgemm,

    /// <summary>Round the activations to bf16 scratch, then <c>cublasGemmEx</c> with bf16 A and B, fp32 C and fp32 accumulation.</summary>
    RoundThenGemmExBFloat16,

    /// <summary>A combination cuBLAS cannot take (bf16 inputs with non-bf16 weights): the ILGPU tiled kernel runs it.</summary>
    Fallback,
}

/// <summary>One step: the cuBLAS call and where its weight block and output columns start.</summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Call">The cuBLAS arguments (A = weight block, B = activations, C = output from <c>OutputOffset</c>).</param>
/// <param name="WeightRowStart">First weight row (output feature) of the block.</param>
/// <param name="WeightRows">Weight rows in the block.</param>
internal readonly record struct CublasGemmStep(CublasGemmStepKind Kind, CublasGemmCall Call, int WeightRowStart, int WeightRows)
{
    /// <summary>Element offset of the block's first output column in C (row-major <c>[m, outputs]</c>).</summary>
    public long OutputOffset => WeightRowStart;

    /// <summary>Element offset of the block's first weight in W (row-major <c>[outputs, inputs]</c>).</summary>
    public long WeightOffset(int inputs) => (long)WeightRowStart * inputs;
}

/// <summary>
/// How <see cref="CublasGemm"/> runs <c>C[m, N] (+)= A[m, K] · Wᵀ</c> (<see cref="IDeviceGemm"/>'s semantics, W row-major <c>[N, K]</c>) with cuBLAS:
/// a pure function of the shapes and types, so the exact call sequence is tested here without a GPU.
/// </summary>
internal static class CublasGemmPlan
{
    /// <summary>fp32 elements of scratch for widened weight blocks (64 MiB).</summary>
    public const long DefaultScratchElements = 1L << 24;

    /// <summary>The steps for one product.</summary>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="inputs">K.</param>
    /// <param name="outputs">N.</param>
    /// <param name="weights">Storage type of W.</param>
    /// <param name="accumulate">Add to C.</param>
    /// <param name="roundInputsToBFloat16">The bf16 compute mode.</param>
    /// <param name="scratchElements">fp32 elements available for a widened weight block.</param>
    public static IReadOnlyList<CublasGemmStep> Steps(int m, int inputs, int outputs, WeightType weights, bool accumulate, bool roundInputsToBFloat16, long scratchElements = DefaultScratchElements)
    {
        if (m == 0 || outputs == 0)
        {
            return [];
        }

        if (roundInputsToBFloat16)
        {
            return weights == WeightType.BF16
                ? [new CublasGemmStep(CublasGemmStepKind.RoundThenGemmExBFloat16, CublasGemmCall.ForLinear(m, inputs, outputs, false, accumulate), 0, outputs)]
                : [new CublasGemmStep(CublasGemmStepKind.Fallback, default, 0, outputs)];
        }

        if (weights == WeightType.F32)
        {
            return [new CublasGemmStep(CublasGemmStepKind.Sgemm, CublasGemmCall.ForLinear(m, inputs, outputs, false, accumulate), 0, outputs)];
        }

        var block = (int)Math.Clamp(scratchElements / inputs, 1, outputs);
        var steps = new List<CublasGemmStep>((outputs + block - 1) / block);
        for (var start = 0; start < outputs; start += block)
        {
            var rows = Math.Min(block, outputs - start);
            steps.Add(new CublasGemmStep(
                CublasGemmStepKind.WidenThenSgemm,
                CublasGemmCall.ForLinear(m, inputs, rows, inputMajorWeights: false, accumulate, inputStride: inputs, outputStride: outputs),
                start,
                rows));
        }

        return steps;
    }
}
