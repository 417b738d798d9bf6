using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Evaluation;
using Mlrb.Eval.Reports;
using Mlrb.Tasks.Runs;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>
/// Runs <c>mlrb eval merge FILES...</c>: checks that the partial reports are the N shards of one evaluation (same
/// model, data, options and code version; each shard once), puts every document's log-likelihoods back in the
/// unsharded order and runs the evaluator on them with a <see cref="ReplayScorer"/>, so that predictions, subtask
/// metrics, stderrs and aggregates come from the same code as an unsharded run.
/// </summary>
internal static class EvalMerge
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Merges; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> files, bool json, string output, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var shards = Load(files);
        var first = shards[0];
        var settings = Settings(first.Options, json, output);
        var plan = EvalRunner.Resolve(settings);
        if (ModelFingerprint.Compute(settings.Model) != first.ModelSha256)
        {
            throw new ArgumentException($"the model folder {settings.Model} no longer matches the shards' fingerprint; merge where the shards' model is.");
        }

        if (ShardReport.DataFingerprint(settings.Data, plan) != first.DataSha256)
        {
            throw new ArgumentException($"the data folder {settings.Data} no longer matches the shards' fingerprint; merge where the shards' data is.");
        }

        var (values, documents) = Interleave(shards);
        var replay = new ReplayScorer(values);
        var options = EvalRunner.Options(settings) with { ScorerFactory = _ => replay };
        var evaluation = await TaskEvaluator.EvaluateAsync(plan, options, null, cancellationToken).ConfigureAwait(false);
        if (evaluation.Report is not { } report)
        {
            throw new InvalidOperationException($"{evaluation.Outcome.ToName()}: {evaluation.Detail?.TrimEnd('.')}");
        }

        if (replay.Remaining != 0 || !report.Result.Documents.Select(d => (d.Subtask, d.Index)).SequenceEqual(documents))
        {
            throw new ArgumentException("the shards' documents do not match the documents the data gives; the data or settings differ from the shards'.");
        }

        report = report with
        {
            StartedUtc = shards.Min(s => s.Started),
            FinishedUtc = shards.Max(s => s.Finished),
            Result = report.Result with
            {
                TokensScored = shards.Sum(s => s.Tokens),
                ScoringTime = TimeSpan.FromSeconds(shards.Sum(s => s.ScoringSeconds)),
            },
        };
        if (evaluation.Outcome != RunOutcome.Scored)
        {
            var kept = ReportWriter.WritePredictions(report, output);
            stderr.WriteLine($"mlrb eval merge: {evaluation.Outcome.ToName()}: {evaluation.Detail?.TrimEnd('.')}; per-document results kept in {kept}.");
            return 1;
        }

        var path = ReportWriter.Write(report, output);
        if (json)
        {
            var node = ReportWriter.ToJson(report);
            node["outcome"] = evaluation.Outcome.ToName();
            node["report_path"] = path;
            stdout.WriteLine(node.ToJsonString(Indented));
        }
        else
        {
            stdout.Write(MetricTable.Render(ReportTable.Rows(report), $"{plan.Task} ({BenchmarkNaming.Name(plan.Benchmark)}) on {settings.Model}, merged from {shards.Count} shard(s)"));
            stdout.WriteLine($"Report: {path}");
        }

        return 0;
    }

    private static List<Shard> Load(IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            throw new ArgumentException("give the partial reports to merge (mlrb eval merge FILE...).");
        }

        var shards = files.Select(Read).ToList();
        var first = shards[0];
        foreach (var s in shards.Skip(1))
        {
            Same(first, s, "shard count", x => x.Count.ToString(CultureInfo.InvariantCulture));
            Same(first, s, "model (sha256)", x => x.ModelSha256);
            Same(first, s, "data (sha256)", x => x.DataSha256);
            Same(first, s, "code version", x => x.CodeVersion);
            foreach (var (key, value) in first.Options)
            {
                if (key is not ("model" or "data" or "tasks_dirs"))
                {
                    Same(first, s, "option " + key, x => x.Options[key]?.ToJsonString());
                }
            }

            foreach (var key in first.Settings.Concat(s.Settings).Select(kv => kv.Key).Distinct().Where(k => k is not ("shard" or "data" or "adapter")))
            {
                Same(first, s, "setting " + key, x => x.Settings.TryGetValue(key, out var v) ? v : "(unset)");
            }
        }

        foreach (var group in shards.GroupBy(s => s.Index).Where(g => g.Count() > 1))
        {
            throw new ArgumentException($"duplicate shard {group.Key}/{first.Count}: {string.Join(" and ", group.Select(g => g.File))}.");
        }

        var missing = Enumerable.Range(0, first.Count).Except(shards.Select(s => s.Index)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"missing shard(s) {string.Join(", ", missing.Select(m => $"{m}/{first.Count}"))}: merge needs all {first.Count}.");
        }

        if (shards.FirstOrDefault(s => s.Interrupted) is { } cut)
        {
            throw new ArgumentException($"shard {cut.Index}/{cut.Count} ({cut.File}) was interrupted; score it again before merging.");
        }

        return [.. shards.OrderBy(s => s.Index)];
    }

    private static void Same(Shard a, Shard b, string what, Func<Shard, string?> value)
    {
        if (!string.Equals(value(a), value(b), StringComparison.Ordinal))
        {
            throw new ArgumentException($"shards differ in {what}: {a.File} has {value(a) ?? "null"}, {b.File} has {value(b) ?? "null"}.");
        }
    }

    /// <summary>Every log-likelihood in unsharded order: per subtask, position p comes from shard p mod N at p div N.</summary>
    private static (List<double> Values, List<(string, int)> Documents) Interleave(List<Shard> shards)
    {
        var n = shards.Count;
        var values = new List<double>();
        var documents = new List<(string, int)>();
        var perShard = shards.Select(s => s.Predictions.GroupBy(p => p.Subtask).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal)).ToList();
        foreach (var subtask in shards[0].SubtaskOrder)
        {
            var lists = perShard.Select(d => d.TryGetValue(subtask, out var l) ? l : []).ToList();
            var total = lists.Sum(l => l.Count);
            for (var i = 0; i < n; i++)
            {
                if (lists[i].Count != Math.Max(0, (total - i + n - 1) / n))
                {
                    throw new ArgumentException($"shard {i}/{n} has {lists[i].Count} document(s) of {subtask}, which does not fit a {n}-way split of {total}; were the shards scored with the same data?");
                }
            }

            for (var p = 0; p < total; p++)
            {
                var doc = lists[p % n][p / n];
                documents.Add((subtask, doc.Index));
                values.AddRange(doc.LogLikelihoods);
            }
        }

        return (values, documents);
    }

    private static EvalSettings Settings(JsonObject o, bool json, string output) => new()
    {
        Task = o["task"]?.GetValue<string>(),
        Benchmark = o["benchmark"]?.GetValue<string>(),
        Model = o["model"]!.GetValue<string>(),
        Adapter = o["adapter"]?.GetValue<string>(),
        Data = o["data"]!.GetValue<string>(),
        Limit = o["limit"]?.GetValue<int>(),
        Shots = o["shots"]?.GetValue<int>(),
        Split = o["split"]?.GetValue<string>() == "validation" ? EvaluationSplit.Validation : EvaluationSplit.Test,
        FixMultiRc = o["fix_multirc"]?.GetValue<bool>() ?? false,
        Strict = o["strict"]?.GetValue<bool>() ?? false,
        MaxRowBytes = o["max_row_bytes"]?.GetValue<int>() ?? 4 << 20,
        DType = o["dtype"]?.GetValue<string>() ?? "fp32",
        TaskDirectories = [.. (o["tasks_dirs"]?.AsArray() ?? []).Select(d => d!.GetValue<string>())],
        Output = output,
        Json = json,
        Device = "cpu",
    };

    private static Shard Read(string file)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? throw new JsonException("empty");
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new ArgumentException($"cannot read {file}: {ex.Message}", ex);
        }

        if (root["shard"] is not JsonObject shard)
        {
            throw new ArgumentException($"{file} is not a partial report of mlrb eval --shard (no \"shard\" object).");
        }

        if (shard["index"] is not JsonValue i || shard["count"] is not JsonValue c || i.GetValue<int>() < 0 || i.GetValue<int>() >= c.GetValue<int>())
        {
            throw new ArgumentException($"{file} has no valid shard index and count.");
        }

        try
        {
            var timing = root["timing"]!.AsObject();
            return new Shard(
                file,
                shard["index"]!.GetValue<int>(),
                shard["count"]!.GetValue<int>(),
                shard["interrupted"]?.GetValue<bool>() ?? false,
                shard["model_sha256"]?.GetValue<string>(),
                shard["data_sha256"]!.GetValue<string>(),
                shard["code_version"]!.GetValue<string>(),
                shard["options"]!.AsObject(),
                root["settings"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "", StringComparer.Ordinal),
                [.. root["subtasks"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Distinct(StringComparer.Ordinal)],
                [.. shard["predictions"]!.AsArray().Select(p => new Prediction(
                    p!["subtask"]!.GetValue<string>(),
                    p["index"]!.GetValue<int>(),
                    [.. p["loglikelihoods"]!.AsArray().Select(ShardReport.ReadExact)]))],
                DateTimeOffset.Parse(timing["started_utc"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(timing["finished_utc"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                timing["tokens_scored"]?.GetValue<long>() ?? 0,
                timing["scoring_seconds"]?.GetValue<double>() ?? 0);
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"{file} is not a well-formed shard report: {ex.Message}", ex);
        }
    }

    private sealed record Prediction(string Subtask, int Index, IReadOnlyList<double> LogLikelihoods);

    private sealed record Shard(
        string File,
        int Index,
        int Count,
        bool Interrupted,
        string? ModelSha256,
        string DataSha256,
        string CodeVersion,
        JsonObject Options,
        Dictionary<string, string> Settings,
        IReadOnlyList<string> SubtaskOrder,
        IReadOnlyList<Prediction> Predictions,
        DateTimeOffset Started,
        DateTimeOffset Finished,
        long Tokens,
        double ScoringSeconds);
}
