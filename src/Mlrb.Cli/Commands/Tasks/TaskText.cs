using System.Globalization;
using Mlrb.Tasks;

namespace Mlrb.Cli.Commands.Tasks;

/// <summary>Short text forms of task fields for the console.</summary>
internal static class TaskText
{
    public static string Duration(TimeSpan value)
    {
        var parts = new List<string>();
        if ((long)value.TotalHours is var hours and > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{hours}h"));
        }

        if (value.Minutes > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Minutes}m"));
        }

        return parts.Count == 0 ? string.Create(CultureInfo.InvariantCulture, $"{value.Seconds}s") : string.Concat(parts);
    }

    public static string Benchmarks(EvaluationSpec evaluation) => string.Join(" + ", evaluation.Benchmarks.Select(b => b.Name switch
    {
        BenchmarkNames.Blimp => "BLiMP",
        BenchmarkNames.SuperGlue => "SuperGLUE",
        BenchmarkNames.Mmlu => b.Subtasks.Count == 0 ? "MMLU" : "MMLU (" + string.Join(", ", b.Subtasks) + ")",
        BenchmarkNames.MathQa => "MathQA",
        BenchmarkNames.Bleu => "BLEU",
        BenchmarkNames.RougeL => "ROUGE-L",
        BenchmarkNames.LeanPassRate => "Lean 3 pass rate",
        _ => b.Name,
    }));
}
