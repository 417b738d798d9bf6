namespace Mlrb.Eval.Statistics;

/// <summary>What a model folder's weights contain.</summary>
public sealed record ModelStatistics
{
    /// <summary>Parameters (elements of every weight tensor, buffers excluded).</summary>
    public required long TotalParameters { get; init; }

    /// <summary>Parameters a Hugging Face <c>from_pretrained</c> model trains (all of them: it sets requires_grad).</summary>
    public required long TrainableParameters { get; init; }

    /// <summary>Total minus trainable.</summary>
    public long NonTrainableParameters => TotalParameters - TrainableParameters;

    /// <summary>Parameters whose value is not zero (±0 counts as zero), so pruning shows; null when not counted.</summary>
    public long? NonZeroParameters { get; init; }

    /// <summary>Floating-point values (parameters and buffers) that are NaN or ±infinity; null when the data was not read.</summary>
    public long? NonFiniteValues { get; init; }

    /// <summary>The tensors holding non-finite values, with how many each holds (empty when none or not read).</summary>
    public IReadOnlyDictionary<string, long> NonFiniteByTensor { get; init; } = new Dictionary<string, long>();

    /// <summary>Elements of non-parameter buffers stored with the weights (e.g. GPT-2's causal-mask <c>attn.bias</c>).</summary>
    public long BufferElements { get; init; }

    /// <summary>Elements of an <c>lm_head.weight</c> stored although tied to the input embedding (not counted as parameters).</summary>
    public long TiedElements { get; init; }

    /// <summary>Bytes of tensor data in the weight files.</summary>
    public required long WeightBytes { get; init; }

    /// <summary>Parameters per safetensors dtype.</summary>
    public required IReadOnlyDictionary<string, long> ParametersByDType { get; init; }

    /// <summary>The weight files read, relative to the model folder.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Whether every floating-point parameter is FP16 or FP32 and none is an integer (quantized) type.</summary>
    public bool OnlyFp16OrFp32 => ParametersByDType.Keys.All(d => d is "F16" or "F32");
}
