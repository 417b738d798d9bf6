using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Eval.Benchmarks;

namespace Mlrb.Eval.Reports;

/// <summary>Writes <c>&lt;task&gt;-&lt;model&gt;-&lt;utc&gt;.json</c> (and the per-document predictions beside it).</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The report as a JSON object.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON.</returns>
    public static JsonObject ToJson(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var r = report.Result;
        var json = new JsonObject
        {
            ["task"] = report.Task,
            ["benchmark"] = BenchmarkNaming.Name(r.Benchmark),
            ["score"] = report.Score is { } score ? new JsonObject { ["name"] = report.ScoreName, ["value"] = Number(score) } : null,
            ["partial"] = r.Partial,
            ["model"] = new JsonObject { ["path"] = report.ModelPath, ["sha256"] = report.ModelSha256 },
            ["aggregates"] = new JsonArray(r.Aggregates.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["value"] = Number(a.Value),
                ["stderr"] = Number(a.Stderr),
                ["formula"] = a.Formula,
            }).ToArray()),
            ["subtasks"] = new JsonArray(r.Subtasks.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["group"] = s.Group,
                ["documents"] = s.Documents,
                ["metrics"] = new JsonObject(s.Metrics.Select(m => KeyValuePair.Create(m.Name, (JsonNode?)new JsonObject { ["value"] = Number(m.Value), ["stderr"] = Number(m.Stderr) }))),
            }).ToArray()),
            ["statistics"] = Statistics(report),
            ["settings"] = new JsonObject(report.Settings.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["data"] = new JsonObject
            {
                ["missing_subtasks"] = new JsonArray(r.MissingSubtasks.Select(m => (JsonNode)m).ToArray()),
                ["skipped_rows"] = new JsonArray(r.DataIssues.Select(i => (JsonNode)i.ToString()).ToArray()),
                ["notes"] = new JsonArray(r.Notes.Select(n => (JsonNode)n).ToArray()),
            },
            ["versions"] = new JsonObject
            {
                ["mlrb_eval"] = typeof(ReportWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
                ["dotnet"] = Environment.Version.ToString(),
                ["harness_semantics"] = "lm-evaluation-harness v0.4.9.2+ (see docs/eval-benchmarks.md)",
            },
            ["timing"] = new JsonObject
            {
                ["started_utc"] = report.StartedUtc.ToString("O", CultureInfo.InvariantCulture),
                ["finished_utc"] = report.FinishedUtc.ToString("O", CultureInfo.InvariantCulture),
                ["scoring_seconds"] = Number(r.ScoringTime.TotalSeconds),
                ["requests_scored"] = r.RequestsScored,
                ["requests_total"] = r.TotalRequests,
                ["tokens_scored"] = r.TokensScored,
            },
        };
        return json;
    }

    /// <summary>Writes the report (and predictions, when kept) into a folder.</summary>
    /// <param name="report">The report.</param>
    /// <param name="directory">The output folder (created if needed).</param>
    /// <returns>The JSON file's path.</returns>
    public static string Write(EvaluationReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);

        // Per-document files first: they are what is left to debug with when the report itself cannot be written.
        WritePredictions(report, directory);
        var path = Path.Combine(directory, BaseName(report) + ".json");
        WriteAtomically(path, ToJson(report).ToJsonString(Indented));
        return path;
    }

    /// <summary>
    /// Writes only the per-document files (<c>.predictions.jsonl</c>, <c>.generations.jsonl</c>) beside where the report
    /// would go; non-finite log-likelihoods are written as <c>null</c>. Used before a run is refused, so nothing is lost.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="directory">The output folder (created if needed).</param>
    /// <returns>The predictions file's path, or null when there were no per-document results.</returns>
    public static string? WritePredictions(EvaluationReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var baseName = BaseName(report);
        string? written = null;
        if (report.Result.Documents.Count > 0)
        {
            var sb = new StringBuilder();
            foreach (var d in report.Result.Documents)
            {
                sb.Append(new JsonObject
                {
                    ["subtask"] = d.Subtask,
                    ["index"] = d.Index,
                    ["line"] = d.Line,
                    ["loglikelihoods"] = new JsonArray(d.LogLikelihoods.Select(x => (JsonNode?)Number(x)).ToArray()),
                    ["prediction"] = d.Prediction,
                    ["gold"] = d.Gold,
                }.ToJsonString()).Append('\n');
            }

            written = Path.Combine(directory, baseName + ".predictions.jsonl");
            WriteAtomically(written, sb.ToString());
        }

        if (report.Result.Generations.Count > 0)
        {
            written ??= Path.Combine(directory, baseName + GenerationsSuffix);
            WriteAtomically(Path.Combine(directory, baseName + GenerationsSuffix), GenerationsJsonl(report.Result.Generations));
        }

        return written;
    }

    private static string BaseName(EvaluationReport report)
    {
        var model = Sanitize(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(report.ModelPath))));
        var stamp = report.StartedUtc.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        return $"{Sanitize(report.Task)}-{model}-{stamp}";
    }

    /// <summary>The file beside the report that keeps every generated item (prompt, generation, reference, per-item metrics).</summary>
    public const string GenerationsSuffix = ".generations.jsonl";

    private static string GenerationsJsonl(IReadOnlyList<GeneratedSample> samples)
    {
        var sb = new StringBuilder();
        foreach (var g in samples)
        {
            sb.Append(new JsonObject
            {
                ["index"] = g.Index,
                ["source"] = g.Source,
                ["name"] = g.Name,
                ["prompt"] = g.Prompt,
                ["generation"] = g.Generation,
                ["reference"] = g.Reference,
                ["bleu"] = Number(g.Bleu),
                ["rouge_l"] = Number(g.RougeL),
                ["lean_passed"] = g.LeanPassed,
                ["lean_timed_out"] = g.LeanTimedOut,
                ["lean_output"] = g.LeanOutput,
                ["generated_tokens"] = g.GeneratedTokens,
                ["finish_reason"] = g.FinishReason,
            }.ToJsonString()).Append('\n');
        }

        return sb.ToString();
    }

    private static JsonObject Statistics(EvaluationReport report)
    {
        var s = report.Statistics;
        var json = new JsonObject
        {
            ["peak_process_memory_bytes"] = report.PeakMemoryBytes,
            ["memory_limit_bytes"] = report.Plan?.MemoryLimitBytes,
            ["memory_limit_source"] = report.Plan?.MemoryLimitSource,
            ["memory_within_limit"] = report.MemoryWithinLimit,
            ["tokens_per_second"] = report.TokensPerSecond,
        };
        if (s is not null)
        {
            json["total_parameters"] = s.TotalParameters;
            json["trainable_parameters"] = s.TrainableParameters;
            json["non_trainable_parameters"] = s.NonTrainableParameters;
            json["non_zero_parameters"] = s.NonZeroParameters;
            json["weight_bytes"] = s.WeightBytes;
            json["buffer_elements"] = s.BufferElements;
            json["dtypes"] = new JsonObject(s.ParametersByDType.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
            json["only_fp16_or_fp32"] = s.OnlyFp16OrFp32;
            json["dtype_rule_passed"] = report.DTypeRulePassed;
        }

        return json;
    }

    private static JsonValue? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static string Sanitize(string name)
    {
        var chars = name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray();
        return chars.Length == 0 ? "model" : new string(chars);
    }

    private static void WriteAtomically(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
