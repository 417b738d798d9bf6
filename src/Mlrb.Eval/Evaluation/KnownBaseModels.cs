namespace Mlrb.Eval.Evaluation;

/// <summary>
/// Shape facts of the base models tasks fix (from their published config.json): the heuristic behind the
/// <c>base_model</c> rule. A compressed model keeps its base's architecture family and vocabulary and does not grow.
/// </summary>
internal static class KnownBaseModels
{
    /// <summary>One base model's facts.</summary>
    /// <param name="ModelTypes">Accepted <c>model_type</c> values.</param>
    /// <param name="VocabularySize">The base's <c>vocab_size</c> (the tokenizer is kept when compressing).</param>
    /// <param name="Parameters">The base's parameter count.</param>
    /// <param name="HiddenSize">The base's hidden size, when checked.</param>
    /// <param name="Layers">The base's layer count, when checked.</param>
    public sealed record Facts(IReadOnlyList<string> ModelTypes, int VocabularySize, long Parameters, int? HiddenSize, int? Layers);

    /// <summary>Parameters may exceed the base's by this fraction (rounding, a re-added bias) before the rule fails.</summary>
    public const double ParameterTolerance = 0.01;

    private static readonly Dictionary<string, Facts> All = new(StringComparer.OrdinalIgnoreCase)
    {
        // microsoft/phi-2: PhiForCausalLM, 32 layers, hidden 2560, vocab 51200, 2,779,683,840 parameters.
        ["microsoft/phi-2"] = new(["phi", "phi-msft"], 51200, 2_779_683_840, 2560, 32),

        // AlgorithmicResearchGroup/gpt2-xs: the mini tasks' baseline, 30,044,544 parameters with GPT-2's vocabulary.
        ["AlgorithmicResearchGroup/gpt2-xs"] = new(["gpt2"], 50257, 30_044_544, null, null),
    };

    /// <summary>Finds a base model's facts.</summary>
    public static bool TryGet(string id, out Facts facts) => All.TryGetValue(id, out facts!);
}
