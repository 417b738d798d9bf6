using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Generation;
using Mlrb.Eval.Metrics;
using Mlrb.Tasks;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>
/// <c>mlrb eval --task math_reasoning</c>: the model folder generates every held-out item (the task record's
/// <see cref="GenerationSpec"/>), unless <c>--predictions FILE</c> gives text generated elsewhere (or the folder holds only
/// a <c>predictions.jsonl</c>, the older layout).
/// </summary>
internal static class TextGenerationRunner
{
    public static async Task<BenchmarkResult> RunAsync(string task, EvalSettings s, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        var lean = new LeanOptions { Executable = s.Lean, Timeout = TimeSpan.FromSeconds(s.LeanTimeoutSeconds) };
        var legacy = Path.Combine(s.Model, "predictions.jsonl");
        var predictions = s.Predictions ?? (!File.Exists(Path.Combine(s.Model, "config.json")) && File.Exists(legacy) ? legacy : null);
        if (predictions is not null)
        {
            return await TextGenerationEvaluation.RunAsync(predictions, lean, s.Limit, s.Strict, progress, cancellationToken).ConfigureAwait(false);
        }

        var spec = GenerationSpecOf(task);
        using var generator = TextGenerator.Load(s.Model, new TextGeneratorOptions { Threads = s.Threads, Adapter = s.Adapter });
        return await TextGenerationEvaluation.RunFromModelAsync(generator, spec, s.Data, lean, s.Limit, s.Strict, progress, cancellationToken).ConfigureAwait(false);
    }

    private static GenerationSpec GenerationSpecOf(string task)
    {
        foreach (var name in new[] { task, task.StartsWith("mini_", StringComparison.Ordinal) ? task[5..] : task })
        {
            if (TaskCatalog.Builtin.TryGet(name, out var record) && record.Evaluation.Generation is { } spec)
            {
                return spec;
            }
        }

        throw new ArgumentException($"task '{task}' defines no generation spec (held-out items, prompt format); give --predictions FILE to score text generated elsewhere.");
    }
}
