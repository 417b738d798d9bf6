using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Evaluation;
using Mlrb.Eval.Metrics;
using Mlrb.Eval.Reports;
using Mlrb.Tasks;
using Mlrb.Tasks.Runs;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>
/// Runs <c>mlrb eval --task/--benchmark</c>: resolves the task from the catalog (built-in and <c>--tasks-dir</c>), calls
/// <see cref="TaskEvaluator"/>, prints the table (or JSON) and writes the report.
/// </summary>
internal static class EvalRunner
{
    /// <summary>Exit code of a run stopped with Ctrl+C (its partial results are written).</summary>
    public const int Interrupted = 130;

    /// <summary>Exit code when the submission breaks a task rule or does not load (invalid_submission).</summary>
    public const int InvalidSubmission = 3;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs; returns the exit code.</summary>
    public static async Task<int> RunAsync(EvalSettings s, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (s.Adapter is not null || s.Base is not null || (Directory.Exists(s.Model) && Mlrb.Eval.Models.Adapters.AdapterFolder.IsAdapter(s.Model)))
        {
            var source = Commands.ModelSource.Resolve(s.Model, s.Adapter, s.Base);
            s = s with { Model = source.Model, Adapter = source.Adapter, Base = null };
        }

        var plan = Resolve(s);
        Commands.DeviceOption.CheckAndAnnounce(s.Device, error);

        if (s.MaxRowBytes <= 0)
        {
            throw new ArgumentException("--max-row-bytes must be a positive number.");
        }

        if (s.Limit is <= 0)
        {
            throw new ArgumentException("--limit must be a positive number.");
        }

        if (File.Exists(s.Model) || !Directory.Exists(s.Model))
        {
            throw new ArgumentException($"model folder not found: {s.Model}");
        }

        var options = Options(s);
        var progress = s.Json ? null : new ProgressBar(error, TimeProvider.System);
        var evaluation = await TaskEvaluator.EvaluateAsync(plan, options, progress, cancellationToken).ConfigureAwait(false);
        if (s.Shard is { } shard && evaluation.Report is { } shardReport)
        {
            return WriteShard(s, plan, shard, evaluation, shardReport, output, error);
        }

        if (evaluation.Report is not { } report || evaluation.Outcome != RunOutcome.Scored)
        {
            if (s.Json)
            {
                output.WriteLine(FailureJson(evaluation).ToJsonString(Indented));
            }

            // A scoring that ran but produced no usable score keeps its per-document results for debugging.
            var kept = evaluation.Report is { } partial ? ReportWriter.WritePredictions(partial, s.Output) : null;
            error.WriteLine($"mlrb eval: {evaluation.Outcome.ToName()}: {evaluation.Detail?.TrimEnd('.')}{(kept is null ? "" : $"; per-document results kept in {kept}")}.");
            return evaluation.Outcome == RunOutcome.InvalidSubmission ? InvalidSubmission : 1;
        }

        var path = ReportWriter.Write(report, s.Output);
        if (s.Html is not null)
        {
            Mlrb.Cli.Viewer.ViewerExports.Write(s.Html, Mlrb.Cli.Viewer.ViewerExports.Report(ReportWriter.ToJson(report)));
        }
        if (s.Json)
        {
            var json = ReportWriter.ToJson(report);
            json["outcome"] = evaluation.Outcome.ToName();
            json["report_path"] = path;
            output.WriteLine(json.ToJsonString(Indented));
        }
        else
        {
            output.Write(MetricTable.Render(ReportTable.Rows(report), $"{plan.Task} ({BenchmarkNaming.Name(plan.Benchmark)}) on {s.Model}"));
            output.WriteLine($"Report: {path}");
        }

        if (report.Result.Partial)
        {
            error.WriteLine($"mlrb eval: interrupted; partial results ({report.Result.RequestsScored} of {report.Result.TotalRequests} requests) written to {path}");
            return Interrupted;
        }

        return 0;
    }

    /// <summary>Writes the partial report of one shard and says what to do next.</summary>
    private static int WriteShard(EvalSettings s, TaskEvaluationPlan plan, EvaluationShard shard, TaskEvaluationResult evaluation, EvaluationReport report, TextWriter output, TextWriter error)
    {
        var path = ShardReport.Write(report, s, shard, plan, evaluation.Outcome.ToName());
        if (s.Json)
        {
            output.WriteLine(new JsonObject { ["shard"] = shard.ToString(), ["partial"] = true, ["documents"] = report.Result.Documents.Count, ["report_path"] = path }.ToJsonString(Indented));
        }
        else
        {
            output.WriteLine($"Shard {shard}: {report.Result.Documents.Count} document(s) scored; partial report: {path}");
            output.WriteLine("Combine all shards with: mlrb eval merge <the N shard reports>");
        }

        if (report.Result.Partial)
        {
            error.WriteLine($"mlrb eval: interrupted; shard {shard} is incomplete ({report.Result.RequestsScored} of {report.Result.TotalRequests} requests) and merge will refuse it.");
            return Interrupted;
        }

        return 0;
    }

    /// <summary>The evaluator's options from the command line.</summary>
    public static TaskEvaluationOptions Options(EvalSettings s) => new()
    {
        ModelDirectory = s.Model,
        DataDirectory = s.Data,
        Limit = s.Limit,
        Shots = s.Shots,
        Split = s.Split,
        FixMultiRc = s.FixMultiRc,
        Strict = s.Strict,
        MaxRowBytes = s.MaxRowBytes,
        Threads = s.Threads,
        Device = s.Device,
        Lean = new LeanOptions { Executable = s.Lean, Timeout = TimeSpan.FromSeconds(s.LeanTimeoutSeconds) },
        PredictionsPath = s.Predictions,
        Adapter = s.Adapter,
        Shard = s.Shard,
        DType = Commands.DTypeOption.Parse(s.DType),
        ScorerFactory = ScorerFactory.Override,
    };

    /// <summary>The JSON printed for a submission that was not scored.</summary>
    public static JsonObject FailureJson(TaskEvaluationResult evaluation) => new()
    {
        ["task"] = evaluation.Task,
        ["outcome"] = evaluation.Outcome.ToName(),
        ["detail"] = evaluation.Detail,
        ["violations"] = new JsonArray(evaluation.Violations.Select(v => (JsonNode)new JsonObject { ["rule"] = v.Rule, ["message"] = v.Message }).ToArray()),
    };

    /// <summary>Finds the task (built-in or from --tasks-dir) or the benchmark.</summary>
    public static TaskEvaluationPlan Resolve(EvalSettings s)
    {
        if (s.Task is not null && s.Benchmark is not null)
        {
            throw new ArgumentException("give either --task or --benchmark, not both.");
        }

        if (s.Task is not null)
        {
            var catalog = s.TaskDirectories.Count == 0 ? TaskCatalog.Builtin : TaskCatalog.WithTaskDirectories(s.TaskDirectories);
            return catalog.TryGet(s.Task, out var task)
                ? TaskEvaluationPlan.For(task)
                : throw new ArgumentException($"unknown task '{s.Task}'; known: {string.Join(", ", catalog.Tasks.Select(t => t.Name))}.");
        }

        if (s.Benchmark is not null)
        {
            return BenchmarkNaming.TryParse(s.Benchmark, out var b) && b != BenchmarkKind.TextGeneration
                ? TaskEvaluationPlan.ForBenchmark(b)
                : throw new ArgumentException($"unknown benchmark '{s.Benchmark}'; use blimp, superglue, mmlu or mathqa.");
        }

        throw new ArgumentException("give --task <task>, --benchmark blimp|superglue|mmlu|mathqa, or --run <run-id>.");
    }
}
