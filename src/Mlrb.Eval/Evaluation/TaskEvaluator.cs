using System.Globalization;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Data;
using Mlrb.Eval.Generation;
using Mlrb.Eval.Reports;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Statistics;
using Mlrb.Tasks;
using Mlrb.Tasks.Runs;

namespace Mlrb.Eval.Evaluation;

/// <summary>
/// Scores a submitted model folder the way its task is scored, from the task record alone: checks the folder and the
/// task's rules, runs every benchmark the record names (MMLU subjects, MathQA, BLiMP, SuperGLUE, generated text),
/// combines them with the record's aggregation, and returns the outcome with the full report (statistics,
/// fingerprint, peak memory, settings). <c>mlrb eval</c>, <c>mlrb run</c> and user code all call this.
/// </summary>
public static class TaskEvaluator
{
    /// <summary>Scores a submission for a task.</summary>
    /// <param name="task">The task record (built-in or from a task file).</param>
    /// <param name="options">The model folder, data folder and settings.</param>
    /// <param name="progress">Progress of the scoring.</param>
    /// <param name="cancellationToken">Stops scoring; the report is then partial.</param>
    /// <returns>Scored (with the report), invalid submission (with the rules broken) or evaluation error (with what failed).</returns>
    /// <exception cref="ArgumentException">The task names a benchmark Mlrb.Eval does not know, or the options are invalid.</exception>
    public static Task<TaskEvaluationResult> EvaluateAsync(ResearchTask task, TaskEvaluationOptions options, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return EvaluateAsync(TaskEvaluationPlan.For(task), options, progress, cancellationToken);
    }

    /// <summary>Scores a model folder by a plan (a task's, or <see cref="TaskEvaluationPlan.ForBenchmark"/> for a bare benchmark).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">The model folder, data folder and settings.</param>
    /// <param name="progress">Progress of the scoring.</param>
    /// <param name="cancellationToken">Stops scoring; the report is then partial.</param>
    /// <returns>The result.</returns>
    public static async Task<TaskEvaluationResult> EvaluateAsync(TaskEvaluationPlan plan, TaskEvaluationOptions options, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Limit is <= 0)
        {
            throw new ArgumentException("Limit must be a positive number.", nameof(options));
        }

        var started = DateTimeOffset.UtcNow;
        var model = options.ModelDirectory;
        var textOnly = plan.Benchmark == BenchmarkKind.TextGeneration && PredictionsPath(options) is not null;
        if (!Directory.Exists(model))
        {
            return Invalid(plan, new RuleViolation("model_folder", $"model folder not found: {model}"), null);
        }

        ModelStatistics? statistics = null;
        var notes = new List<string>();
        if (!textOnly)
        {
            try
            {
                statistics = ModelInspector.Inspect(model);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                return Invalid(plan, new RuleViolation("loadable_model", $"the weights cannot be read: {ex.Message}"), null);
            }

            if (ScoreChecks.NonFiniteWeights(statistics) is { } broken)
            {
                return Invalid(plan, new RuleViolation("finite_weights", broken), statistics);
            }

            if (options.EnforceRules)
            {
                var (violations, ruleNotes) = SubmissionRules.Check(plan, model, statistics);
                notes.AddRange(ruleNotes);
                if (violations.Count > 0)
                {
                    return new TaskEvaluationResult
                    {
                        Task = plan.Task,
                        Outcome = RunOutcome.InvalidSubmission,
                        Detail = string.Join(" ", violations.Select(v => v.ToString())),
                        Violations = violations,
                        Statistics = statistics,
                    };
                }
            }
        }

        BenchmarkResult result;
        try
        {
            result = plan.Benchmark == BenchmarkKind.TextGeneration
                ? await RunTextAsync(plan, options, progress, cancellationToken).ConfigureAwait(false)
                : await RunLogLikelihoodAsync(plan, options, progress, notes, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelLoadFailure failure)
        {
            return Invalid(plan, new RuleViolation("loadable_model", failure.Message), statistics);
        }
        catch (BenchmarkDataException ex)
        {
            return Error(plan, "evaluation data missing or unreadable: " + ex.Message, statistics);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
        {
            return Error(plan, "the scorer failed: " + ex.Message, statistics);
        }

        var (score, scoreName) = Headline(plan, result);
        var report = new EvaluationReport
        {
            Task = plan.Task,
            ModelPath = model,
            ModelSha256 = ModelFingerprint.Compute(model),
            Result = notes.Count == 0 ? result : result with { Notes = [.. result.Notes, .. notes] },
            Statistics = statistics,
            Plan = plan,
            PeakMemoryBytes = PeakMemory.CurrentProcessPeakBytes(),
            Settings = Settings(options, result),
            StartedUtc = started,
            FinishedUtc = DateTimeOffset.UtcNow,
            Score = score,
            ScoreName = scoreName,
        };
        if (ScoreChecks.Problem(result, options.DataDirectory) is { } problem)
        {
            // The report goes back (without a score) so that callers can keep the per-document results.
            var failed = problem.ModelFault ? Invalid(plan, new RuleViolation("finite_outputs", problem.Detail), statistics) : Error(plan, problem.Detail, statistics);
            return failed with { Report = report with { Score = null, ScoreName = null } };
        }

        return score is null
            ? Error(plan, "no subtask could be scored", statistics) with { Report = report }
            : new TaskEvaluationResult { Task = plan.Task, Outcome = RunOutcome.Scored, Score = score, ScoreName = scoreName, Statistics = statistics, Report = report };
    }

    private static TaskEvaluationResult Invalid(TaskEvaluationPlan plan, RuleViolation violation, ModelStatistics? statistics) => new()
    {
        Task = plan.Task,
        Outcome = RunOutcome.InvalidSubmission,
        Detail = violation.ToString(),
        Violations = [violation],
        Statistics = statistics,
    };

    private static TaskEvaluationResult Error(TaskEvaluationPlan plan, string detail, ModelStatistics? statistics) => new()
    {
        Task = plan.Task,
        Outcome = RunOutcome.EvaluationError,
        Detail = detail,
        Statistics = statistics,
    };

    private static string? PredictionsPath(TaskEvaluationOptions options)
    {
        var legacy = Path.Combine(options.ModelDirectory, "predictions.jsonl");
        return options.PredictionsPath ?? (!File.Exists(Path.Combine(options.ModelDirectory, "config.json")) && File.Exists(legacy) ? legacy : null);
    }

    private static async Task<BenchmarkResult> RunTextAsync(TaskEvaluationPlan plan, TaskEvaluationOptions options, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        if (options.Shard is not null)
        {
            throw new ArgumentException($"task '{plan.Task}' is scored on generated text; --shard splits log-likelihood benchmarks only.");
        }

        if (PredictionsPath(options) is { } predictions)
        {
            return await TextGenerationEvaluation.RunAsync(predictions, options.Lean, options.Limit, options.Strict, progress, cancellationToken).ConfigureAwait(false);
        }

        var spec = plan.Generation
            ?? throw new ArgumentException($"task '{plan.Task}' defines no generation spec (held-out items, prompt format); give a predictions file to score text generated elsewhere.");
        ITextGenerator generator;
        try
        {
            generator = TextGenerator.Load(options.ModelDirectory, new TextGeneratorOptions { Threads = options.Threads, Adapter = options.Adapter, Device = options.Device });
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new ModelLoadFailure($"the model does not load: {ex.Message}", ex);
        }

        using (generator)
        {
            return await TextGenerationEvaluation.RunFromModelAsync(generator, spec, options.DataDirectory, options.Lean, options.Limit, options.Strict, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<BenchmarkResult> RunLogLikelihoodAsync(TaskEvaluationPlan plan, TaskEvaluationOptions options, IProgress<EvaluationProgress>? progress, List<string> notes, CancellationToken cancellationToken)
    {
        ILogLikelihoodScorer scorer;
        try
        {
            scorer = options.ScorerFactory is { } factory
                ? factory(options.ModelDirectory)
                : ModelScorer.Load(options.ModelDirectory, new ModelScorerOptions { Threads = options.Threads, Adapter = options.Adapter, DType = options.DType, Device = options.Device });
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new ModelLoadFailure($"the model does not load: {ex.Message}", ex);
        }

        try
        {
            var results = new List<(PlannedBenchmark Planned, BenchmarkResult Result)>();
            BenchmarkDataException? firstMissing = null;
            foreach (var planned in plan.Benchmarks)
            {
                var evaluation = new EvaluationOptions
                {
                    Benchmark = planned.Kind,
                    DataDirectory = options.DataDirectory,
                    Limit = options.Limit,
                    Shots = options.Shots ?? planned.Spec.Shots,
                    FixMultiRc = options.FixMultiRc,
                    Strict = options.Strict,
                    MaxRowBytes = options.MaxRowBytes,
                    Subtasks = planned.Spec.Subtasks,
                    Split = options.Split,
                    Shard = options.Shard,
                };
                try
                {
                    results.Add((planned, await BenchmarkEvaluation.RunAsync(scorer, evaluation, progress, cancellationToken).ConfigureAwait(false)));
                }
                catch (BenchmarkDataException ex) when (plan.Benchmarks.Count > 1 && !options.Strict)
                {
                    // A task scored on several benchmarks is scored on those whose data is present; the report says which were skipped.
                    firstMissing ??= ex;
                    notes.Add($"{BenchmarkNaming.Name(planned.Kind)} skipped: {ex.Message}");
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            return results.Count switch
            {
                0 => throw firstMissing ?? new BenchmarkDataException(options.DataDirectory, 0, "no benchmark data found"),
                1 when plan.Benchmarks.Count == 1 => results[0].Result,
                _ => Merge(plan, results),
            };
        }
        finally
        {
            (scorer as IDisposable)?.Dispose();
        }
    }

    /// <summary>One result for a task scored on several benchmarks: every subtask, and the task's aggregate first.</summary>
    private static BenchmarkResult Merge(TaskEvaluationPlan plan, List<(PlannedBenchmark Planned, BenchmarkResult Result)> results)
    {
        var values = results.SelectMany(r => r.Result.Subtasks.Where(s => s.Documents > 0).Select(s => HeadlineMetric(s, r.Planned.Spec.Metric))).ToList();
        var aggregates = new List<AggregateResult>();
        if (values.Count > 0)
        {
            aggregates.Add(new AggregateResult(plan.Task, values.Average(), null, plan.AggregationFormula + string.Create(CultureInfo.InvariantCulture, $" — over the {values.Count} subtask(s) scored")));
        }

        aggregates.AddRange(results.SelectMany(r => r.Result.Aggregates));
        return new BenchmarkResult
        {
            Benchmark = results[0].Result.Benchmark,
            Subtasks = [.. results.SelectMany(r => r.Result.Subtasks)],
            Aggregates = aggregates,
            MissingSubtasks = [.. results.SelectMany(r => r.Result.MissingSubtasks)],
            DataIssues = [.. results.SelectMany(r => r.Result.DataIssues)],
            Documents = [.. results.SelectMany(r => r.Result.Documents)],
            Partial = results.Any(r => r.Result.Partial),
            RequestsScored = results.Sum(r => r.Result.RequestsScored),
            TotalRequests = results.Sum(r => r.Result.TotalRequests),
            TokensScored = results.Sum(r => r.Result.TokensScored),
            ScoringTime = TimeSpan.FromTicks(results.Sum(r => r.Result.ScoringTime.Ticks)),
            Notes = [.. results.SelectMany(r => r.Result.Notes)],
            Shots = results[0].Result.Shots,
        };
    }

    private static double HeadlineMetric(SubtaskResult subtask, string metric)
        => (subtask.Metrics.FirstOrDefault(m => m.Name == metric) ?? subtask.Metrics[0]).Value;

    /// <summary>The task score: the record's aggregation applied to the result.</summary>
    private static (double? Score, string? Name) Headline(TaskEvaluationPlan plan, BenchmarkResult result)
    {
        if (result.Aggregates.Count == 0)
        {
            return (null, null);
        }

        var pick = plan.Aggregation == ScoreAggregation.MeanOverCategoryMeans
            ? result.Aggregates.FirstOrDefault(a => a.Name == "mmlu_paper") ?? result.Aggregates[0]
            : result.Aggregates[0];
        return double.IsFinite(pick.Value) ? (pick.Value, pick.Name) : (null, null);
    }

    private static Dictionary<string, string> Settings(TaskEvaluationOptions o, BenchmarkResult result)
    {
        var c = CultureInfo.InvariantCulture;
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["data"] = o.DataDirectory,
            ["split"] = o.Split.ToString().ToLowerInvariant(),
            ["shots"] = result.Shots.ToString(c),
            ["limit"] = o.Limit?.ToString(c) ?? "none",
            ["multirc_gold"] = o.FixMultiRc ? "fixed (label 1 = yes)" : "harness (inverted)",
            ["strict"] = o.Strict ? "true" : "false",
            ["rules"] = o.EnforceRules ? "enforced" : "not checked",
            ["device"] = o.Device,
            ["device_memory"] = Scoring.ComputeDevices.DescribeMemory(o.Device) ?? "host memory (see peak process memory)",
            ["dtype"] = o.DType == ComputeDType.Bf16 ? "bfloat16 (fp32 accumulation; not bit-comparable)" : "float32",
            ["batch"] = "harness-equivalent (each request scored independently)",
        };
        if (o.Shard is { } shard)
        {
            d["shard"] = shard.ToString();
        }

        if (o.Adapter is not null)
        {
            d["adapter"] = o.Adapter;
            d["adapter_sha256"] = ModelFingerprint.Compute(o.Adapter) ?? "unavailable";
        }

        if (o.Lean.Executable is { } lean)
        {
            d["lean"] = lean;
        }

        if (result.Benchmark == BenchmarkKind.TextGeneration)
        {
            d["generation_source"] = result.Notes.Any(n => n.StartsWith("source: " + TextGenerationEvaluation.PredictionsFileSource, StringComparison.Ordinal))
                ? TextGenerationEvaluation.PredictionsFileSource
                : TextGenerationEvaluation.ModelSource;
            d["batch"] = "continuous batching of greedy generations (outputs do not depend on the batch)";
        }

        return d;
    }

    /// <summary>The model folder does not load (bad config, weights or tokenizer): an invalid submission, not an evaluator failure.</summary>
    private sealed class ModelLoadFailure(string message, Exception inner) : Exception(message, inner);
}
