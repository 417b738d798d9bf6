using System.Globalization;
using System.Text.Json;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Statistics;
using Mlrb.Tasks;

namespace Mlrb.Eval.Evaluation;

/// <summary>
/// Checks a submitted model folder against the task's rules before it is scored: parameter count
/// (<see cref="ResearchTask.MaxParameters"/>), weight precisions (<see cref="ResearchTask.AllowedPrecisions"/>),
/// device memory (the weights as stored must fit in the task's limit) and the base model the task fixes
/// (<see cref="ResearchTask.BaseModel"/>; a heuristic on model type, vocabulary, size and shape).
/// </summary>
public static class SubmissionRules
{
    /// <summary>The safetensors dtypes each precision allows.</summary>
    private static readonly Dictionary<WeightPrecision, string[]> DTypes = new()
    {
        [WeightPrecision.Fp32] = ["F32"],
        [WeightPrecision.Fp16] = ["F16"],
        [WeightPrecision.Bf16] = ["BF16"],
        [WeightPrecision.Q8] = ["I8", "U8", "F8_E4M3", "F8_E5M2"],
        [WeightPrecision.Q4] = ["I4", "U4"],
    };

    /// <summary>Checks the rules.</summary>
    /// <param name="plan">The task's plan.</param>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="statistics">Its weight statistics.</param>
    /// <returns>The violations (empty when every rule holds) and notes on rules that could not be checked.</returns>
    public static (IReadOnlyList<RuleViolation> Violations, IReadOnlyList<string> Notes) Check(TaskEvaluationPlan plan, string modelDirectory, ModelStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(modelDirectory);
        ArgumentNullException.ThrowIfNull(statistics);
        var c = CultureInfo.InvariantCulture;
        var violations = new List<RuleViolation>();
        var notes = new List<string>();
        if (plan.MaxParameters is { } max && statistics.TotalParameters > max)
        {
            violations.Add(new RuleViolation("max_parameters", string.Create(c, $"the model has {statistics.TotalParameters:N0} parameters; the task allows at most {max:N0}.")));
        }

        if (plan.AllowedPrecisions.Count > 0)
        {
            var allowed = plan.AllowedPrecisions.SelectMany(p => DTypes[p]).ToHashSet(StringComparer.Ordinal);
            var bad = statistics.ParametersByDType.Where(kv => kv.Value > 0 && !allowed.Contains(kv.Key)).Select(kv => string.Create(c, $"{kv.Key} ({kv.Value:N0} parameters)")).ToList();
            if (bad.Count > 0)
            {
                violations.Add(new RuleViolation("allowed_precisions", $"weights stored as {string.Join(", ", bad)}; the task allows only {string.Join(" or ", plan.AllowedPrecisions.Select(p => p.ToString().ToUpperInvariant()))}."));
            }
        }

        if (plan.MemoryLimitBytes is { } limit && statistics.WeightBytes > limit)
        {
            violations.Add(new RuleViolation("device_memory", string.Create(c, $"the weights alone take {statistics.WeightBytes:N0} bytes; the task's limit is {limit:N0} bytes ({plan.MemoryLimitSource}).")));
        }

        if (plan.BaseModel is { } baseModel)
        {
            if (KnownBaseModels.TryGet(baseModel, out var facts))
            {
                violations.AddRange(CheckBase(baseModel, facts, modelDirectory, statistics));
            }
            else
            {
                notes.Add($"base_model rule not checked: Mlrb has no shape facts for '{baseModel}'.");
            }
        }

        return (violations, notes);
    }

    private static List<RuleViolation> CheckBase(string id, KnownBaseModels.Facts facts, string modelDirectory, ModelStatistics statistics)
    {
        var c = CultureInfo.InvariantCulture;
        var problems = new List<string>();
        var config = ReadConfig(Path.Combine(modelDirectory, "config.json"));
        var type = Text(config, "model_type");
        if (type is null || !facts.ModelTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"model_type is '{type ?? "(none)"}', expected {string.Join(" or ", facts.ModelTypes)}");
        }

        if (Number(config, "vocab_size") is { } vocab && vocab != facts.VocabularySize)
        {
            problems.Add(string.Create(c, $"vocab_size is {vocab}, expected {facts.VocabularySize} (compression keeps the tokenizer)"));
        }

        var ceiling = (long)(facts.Parameters * (1 + KnownBaseModels.ParameterTolerance));
        if (statistics.TotalParameters > ceiling)
        {
            problems.Add(string.Create(c, $"{statistics.TotalParameters:N0} parameters, more than the base's {facts.Parameters:N0}"));
        }

        if (facts.HiddenSize is { } hidden && (Number(config, "hidden_size") ?? Number(config, "n_embd")) is { } h && h > hidden)
        {
            problems.Add(string.Create(c, $"hidden size {h} exceeds the base's {hidden}"));
        }

        if (facts.Layers is { } layers && (Number(config, "num_hidden_layers") ?? Number(config, "n_layer")) is { } l && l > layers)
        {
            problems.Add(string.Create(c, $"{l} layers exceed the base's {layers}"));
        }

        return problems.Count == 0
            ? []
            : [new RuleViolation("base_model", $"the model does not look derived from {id} (shape heuristic): {string.Join("; ", problems)}.")];
    }

    private static JsonElement? ReadConfig(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(Files.BoundedFile.ReadAllText(path, Files.BoundedFile.ConfigLimit));
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement? config, string name)
        => config is { } c && c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement? config, string name)
        => config is { } c && c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
