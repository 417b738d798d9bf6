using Mlrb.Tasks;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// The one place where benchmark names map to <see cref="BenchmarkKind"/>s: the names task records use
/// (<see cref="BenchmarkNames"/>), the command line's short names and the harness's aliases.
/// </summary>
public static class BenchmarkNaming
{
    /// <summary>The command-line name of a benchmark (<c>blimp</c>, <c>superglue</c>, <c>mmlu</c>, <c>mathqa</c>, <c>text</c>).</summary>
    /// <param name="benchmark">The benchmark.</param>
    /// <returns>Its name.</returns>
    public static string Name(BenchmarkKind benchmark) => benchmark switch
    {
        BenchmarkKind.Blimp => "blimp",
        BenchmarkKind.SuperGlue => "superglue",
        BenchmarkKind.Mmlu => "mmlu",
        BenchmarkKind.MathQa => "mathqa",
        _ => "text",
    };

    /// <summary>
    /// Parses a benchmark name: <c>blimp</c>; <c>superglue</c>, <c>super_glue</c> or <c>super-glue-lm-eval-v1</c>;
    /// <c>mmlu</c>; <c>mathqa</c> or <c>math_qa</c>; and the text-generation metrics <c>bleu</c>, <c>rouge_l</c>,
    /// <c>lean3_pass_rate</c> (or <c>text</c>), which all mean <see cref="BenchmarkKind.TextGeneration"/>.
    /// </summary>
    /// <param name="name">The name (case-insensitive).</param>
    /// <param name="benchmark">The benchmark.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? name, out BenchmarkKind benchmark)
    {
        BenchmarkKind? kind = name?.ToLowerInvariant() switch
        {
            BenchmarkNames.Blimp => BenchmarkKind.Blimp,
            "superglue" or BenchmarkNames.SuperGlue or "super-glue-lm-eval-v1" => BenchmarkKind.SuperGlue,
            BenchmarkNames.Mmlu => BenchmarkKind.Mmlu,
            BenchmarkNames.MathQa or "math_qa" => BenchmarkKind.MathQa,
            BenchmarkNames.Bleu or BenchmarkNames.RougeL or BenchmarkNames.LeanPassRate or "text" => BenchmarkKind.TextGeneration,
            _ => null,
        };
        benchmark = kind ?? default;
        return kind is not null;
    }

    /// <summary>Whether the benchmark is scored by log-likelihood (everything but generated text).</summary>
    /// <param name="benchmark">The benchmark.</param>
    /// <returns>True for BLiMP, SuperGLUE, MMLU and MathQA.</returns>
    public static bool IsLogLikelihood(BenchmarkKind benchmark) => benchmark != BenchmarkKind.TextGeneration;
}
