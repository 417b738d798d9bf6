using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Metrics;
using Mlrb.Eval.Reports;
using Mlrb.Eval.Statistics;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>Runs <c>mlrb eval</c>: resolves the task, scores, prints the table (or JSON) and writes the report.</summary>
internal static class EvalRunner
{
    /// <summary>Exit code of a run stopped with Ctrl+C (its partial results are written).</summary>
    public const int Interrupted = 130;

    /// <summary>Runs; returns the exit code.</summary>
    public static async Task<int> RunAsync(EvalSettings s, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (name, plan, benchmark) = Resolve(s);
        if (s.Device != "cpu")
        {
            throw new ArgumentException($"--device {s.Device} is not available in this build; use --device cpu.");
        }

        if (s.Limit is <= 0)
        {
            throw new ArgumentException("--limit must be a positive number.");
        }

        var started = DateTimeOffset.UtcNow;
        var statistics = File.Exists(s.Model) || !Directory.Exists(s.Model)
            ? throw new ArgumentException($"model folder not found: {s.Model}")
            : Directory.EnumerateFiles(s.Model, "*.safetensors").Any() ? ModelInspector.Inspect(s.Model) : null;
        if (NonFinite.DescribeWeights(statistics) is { } broken)
        {
            throw new InvalidOperationException($"{broken}; refusing to score this model (see mlrb stats --model {s.Model}).");
        }

        var progress = s.Json ? null : new ProgressBar(error, TimeProvider.System);
        BenchmarkResult result;
        if (benchmark == BenchmarkKind.TextGeneration)
        {
            result = await TextGenerationRunner.RunAsync(name, s, progress, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var options = new EvaluationOptions
            {
                Benchmark = benchmark,
                DataDirectory = s.Data,
                Limit = s.Limit,
                Shots = s.Shots,
                FixMultiRc = s.FixMultiRc,
                Strict = s.Strict,
            };
            var scorer = ScorerFactory.Create(s.Model, s.Threads);
            try
            {
                result = await BenchmarkEvaluation.RunAsync(scorer, options, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                (scorer as IDisposable)?.Dispose();
            }
        }

        var report = new EvaluationReport
        {
            Task = name,
            ModelPath = s.Model,
            ModelSha256 = ModelFingerprint.Compute(s.Model),
            Result = result,
            Statistics = statistics,
            Plan = plan,
            PeakMemoryBytes = PeakMemory.CurrentProcessPeakBytes(),
            Settings = Settings(s, result),
            StartedUtc = started,
            FinishedUtc = DateTimeOffset.UtcNow,
        };
        Refuse(report, s);
        var path = ReportWriter.Write(report, s.Output);
        if (s.Html is not null)
        {
            Mlrb.Cli.Viewer.ViewerExports.Write(s.Html, Mlrb.Cli.Viewer.ViewerExports.Report(ReportWriter.ToJson(report)));
        }
        if (s.Json)
        {
            var json = ReportWriter.ToJson(report);
            json["report_path"] = path;
            output.WriteLine(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            output.Write(MetricTable.Render(ReportTable.Rows(report), $"{name} ({TaskBenchmarks.Name(benchmark)}) on {s.Model}"));
            output.WriteLine($"Report: {path}");
        }

        if (result.Partial)
        {
            error.WriteLine($"mlrb eval: interrupted; partial results ({result.RequestsScored} of {result.TotalRequests} requests) written to {path}");
            return Interrupted;
        }

        return 0;
    }

    /// <summary>
    /// Throws (after writing the per-document files) when the run produced no usable score: a non-finite log-likelihood,
    /// a non-finite headline, or no scored document at all.
    /// </summary>
    private static void Refuse(EvaluationReport report, EvalSettings s)
    {
        var r = report.Result;
        var bad = r.Documents.FirstOrDefault(d => d.LogLikelihoods.Any(x => !double.IsFinite(x)));
        if (bad is not null)
        {
            var kept = ReportWriter.WritePredictions(report, s.Output);
            var value = bad.LogLikelihoods.First(x => !double.IsFinite(x));
            var count = r.Documents.Count(d => d.LogLikelihoods.Any(x => !double.IsFinite(x)));
            var why = NonFinite.FindInModel(s.Model) ?? "the model's activations overflowed";
            throw new InvalidOperationException(
                $"document {bad.Subtask} #{bad.Index} (line {bad.Line}) has log-likelihood {NonFinite.Format(value)} ({count} of {r.Documents.Count} documents): {why}; no score reported{(kept is null ? "" : $"; per-document results kept in {kept}")}.");
        }

        if (!r.Partial && r.Documents.Count == 0 && r.Generations.Count == 0)
        {
            var reasons = new List<string>();
            if (r.DataIssues.Count > 0)
            {
                reasons.Add($"{r.DataIssues.Count} bad rows skipped (first: {r.DataIssues[0]})");
            }

            if (r.MissingSubtasks.Count > 0)
            {
                reasons.Add($"{r.MissingSubtasks.Count} subtasks have no data (first: {r.MissingSubtasks[0]})");
            }

            if (reasons.Count == 0)
            {
                reasons.Add("the data files hold no rows");
            }

            throw new InvalidOperationException($"no document was scored in {s.Data}: {string.Join("; ", reasons)}.");
        }

        if (!r.Partial && r.Aggregates.Count > 0 && !double.IsFinite(r.Aggregates[0].Value))
        {
            ReportWriter.WritePredictions(report, s.Output);
            throw new InvalidOperationException($"the headline score {r.Aggregates[0].Name} is {NonFinite.Format(r.Aggregates[0].Value)}; no score reported.");
        }
    }

    private static (string Name, TaskEvaluationPlan? Plan, BenchmarkKind Benchmark) Resolve(EvalSettings s)
    {
        if (s.Task is not null && s.Benchmark is not null)
        {
            throw new ArgumentException("give either --task or --benchmark, not both.");
        }

        if (s.Task is not null)
        {
            return TaskBenchmarks.TryGet(s.Task, out var plan)
                ? (s.Task, plan, plan.Benchmark)
                : throw new ArgumentException($"unknown task '{s.Task}'; known: {string.Join(", ", TaskBenchmarks.Tasks.Order(StringComparer.Ordinal))} (and their mini_ variants).");
        }

        if (s.Benchmark is not null)
        {
            return TaskBenchmarks.TryParse(s.Benchmark, out var b)
                ? (TaskBenchmarks.Name(b), null, b)
                : throw new ArgumentException($"unknown benchmark '{s.Benchmark}'; use blimp, superglue or mmlu.");
        }

        throw new ArgumentException("give --task <task> or --benchmark blimp|superglue|mmlu.");
    }

    private static Dictionary<string, string> Settings(EvalSettings s, BenchmarkResult result)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["data"] = s.Data,
            ["shots"] = result.Shots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["limit"] = s.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
            ["multirc_gold"] = s.FixMultiRc ? "fixed (label 1 = yes)" : "harness (inverted)",
            ["strict"] = s.Strict ? "true" : "false",
            ["device"] = s.Device,
            ["dtype"] = "float32",
            ["batch"] = "harness-equivalent (each request scored independently)",
        };
        if (s.Lean is not null)
        {
            d["lean"] = s.Lean;
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
}
