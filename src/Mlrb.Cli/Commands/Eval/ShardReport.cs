using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Evaluation;
using Mlrb.Eval.Reports;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>
/// The partial report of <c>mlrb eval --shard I/N</c>: the ordinary report plus a <c>shard</c> object with what
/// <c>mlrb eval merge</c> needs and checks (shard, model and data fingerprints, options, code version, and every
/// document's log-likelihoods with its index).
/// </summary>
internal static class ShardReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The options recorded in a shard; all but the paths must match across shards.</summary>
    public static JsonObject Options(EvalSettings s) => new()
    {
        ["task"] = s.Task,
        ["benchmark"] = s.Benchmark,
        ["model"] = s.Model,
        ["adapter"] = s.Adapter,
        ["data"] = s.Data,
        ["limit"] = s.Limit,
        ["shots"] = s.Shots,
        ["split"] = s.Split.ToString().ToLowerInvariant(),
        ["fix_multirc"] = s.FixMultiRc,
        ["strict"] = s.Strict,
        ["max_row_bytes"] = s.MaxRowBytes,
        ["dtype"] = s.DType,
        ["tasks_dirs"] = new JsonArray(s.TaskDirectories.Select(d => (JsonNode)Path.GetFullPath(d)).ToArray()),
    };

    /// <summary>Writes <c>&lt;task&gt;-&lt;model&gt;.shard-I-of-N.json</c> into the output folder; returns its path.</summary>
    public static string Write(EvaluationReport report, EvalSettings s, EvaluationShard shard, TaskEvaluationPlan plan, string outcome)
    {
        var json = ReportWriter.ToJson(report);
        json["partial"] = true;
        json["shard"] = new JsonObject
        {
            ["index"] = shard.Index,
            ["count"] = shard.Count,
            ["outcome"] = outcome,
            ["interrupted"] = report.Result.Partial,
            ["model_sha256"] = report.ModelSha256,
            ["data_sha256"] = DataFingerprint(s.Data, plan),
            ["code_version"] = CodeVersion,
            ["options"] = Options(s),
            ["predictions"] = new JsonArray(report.Result.Documents.Select(d => (JsonNode)new JsonObject
            {
                ["subtask"] = d.Subtask,
                ["index"] = d.Index,
                ["line"] = d.Line,
                ["loglikelihoods"] = new JsonArray(d.LogLikelihoods.Select(Exact).ToArray()),
            }).ToArray()),
        };
        Directory.CreateDirectory(s.Output);
        var model = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(s.Model)));
        var name = string.Create(CultureInfo.InvariantCulture, $"{Safe(report.Task)}-{Safe(model)}.shard-{shard.Index}-of-{shard.Count}.json");
        var path = Path.Combine(s.Output, name);
        File.WriteAllText(path + ".tmp", json.ToJsonString(Indented));
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }

    /// <summary>The version of the evaluator that scored (assembly informational version, with the commit when built from git).</summary>
    public static string CodeVersion => typeof(ReportWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>SHA-256 over the relative paths and contents of the benchmark folders the plan reads.</summary>
    public static string DataFingerprint(string data, TaskEvaluationPlan plan)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var folder in plan.Benchmarks.Select(b => BenchmarkNaming.Name(b.Kind)).Distinct(StringComparer.Ordinal))
        {
            var root = Path.Combine(data, folder);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(data, file).Replace('\\', '/') + "\n"));
                using var stream = File.OpenRead(file);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    sha.AppendData(buffer.AsSpan(0, read));
                }

                sha.AppendData("\n"u8);
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>A log-likelihood that survives the JSON round trip exactly (non-finite values as strings).</summary>
    public static JsonNode Exact(double value)
        => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Reads back what <see cref="Exact"/> wrote.</summary>
    public static double ReadExact(JsonNode? node)
        => node is JsonValue v && v.TryGetValue<string>(out var text)
            ? double.Parse(text, CultureInfo.InvariantCulture)
            : node!.GetValue<double>();

    private static string Safe(string name)
    {
        var chars = name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray();
        return chars.Length == 0 ? "model" : new string(chars);
    }
}
