using System.Globalization;
using Mlrb.Eval.Statistics;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>Names non-finite weights and scores in one line, so a broken model is an error instead of a number.</summary>
internal static class NonFinite
{
    /// <summary>"32 non-finite values in transformer.h.0.ln_1.weight (32)" style summary; null when every weight is finite.</summary>
    public static string? DescribeWeights(ModelStatistics? statistics)
    {
        if (statistics is not { NonFiniteValues: > 0 } s)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        var tensors = s.NonFiniteByTensor.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var named = string.Join(", ", tensors.Take(3).Select(kv => $"{kv.Key} ({kv.Value.ToString("N0", c)})"));
        var more = tensors.Count > 3 ? $" and {tensors.Count - 3} more tensors" : "";
        return $"{s.NonFiniteValues.Value.ToString("N0", c)} non-finite weight values (NaN or infinity) in {named}{more}";
    }

    /// <summary>Reads the model's weights to name the tensors with non-finite values (only on a failure path: it reads every tensor).</summary>
    public static string? FindInModel(string model)
    {
        try
        {
            return Directory.Exists(model) && Directory.EnumerateFiles(model, "*.safetensors").Any()
                ? DescribeWeights(ModelInspector.Inspect(model))
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Mlrb.Eval.Data.BenchmarkDataException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The number as the error shows it.</summary>
    public static string Format(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
}
