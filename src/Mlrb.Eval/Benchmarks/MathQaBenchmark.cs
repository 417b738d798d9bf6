using Mlrb.Eval.Data;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// MathQA as the harness's <c>mathqa</c> task: <c>"Question: {Problem}\nAnswer:"</c>, the five option texts as
/// <c>" " + choice</c> continuations, acc and acc_norm (log-likelihood over the choice's length in characters).
/// </summary>
internal static class MathQaBenchmark
{
    /// <summary>The harness task name.</summary>
    public const string Name = "mathqa";

    /// <summary>The harness's <c>doc_to_text</c>.</summary>
    public static string Prompt(string problem) => "Question: " + problem + "\nAnswer:";

    /// <summary>Builds the task when its file is present.</summary>
    public static List<BenchmarkSubtask> Build(BuildSettings settings)
    {
        if (!settings.Includes(Name, string.Empty))
        {
            return [];
        }

        if (settings.Shots != 0)
        {
            throw new ArgumentException("MathQA is scored zero-shot here (the harness default); pass 0 shots.", nameof(settings));
        }

        var path = MathQaReader.Locate(settings.DataDirectory, settings.Split == EvaluationSplit.Validation ? "validation" : "test");
        if (!File.Exists(path))
        {
            settings.ReportMissing(Name, path);
            return [];
        }

        var docs = settings.Take(MathQaReader.Read(path, settings.Log)).Select((p, i) =>
        {
            var prompted = new PromptedDocument(Prompt(p.Problem), p.Choices, p.Answer, p.Choices[p.Answer]);
            return FewShotContext.ToDocument(i, p.Line, prompted.Text, prompted);
        }).ToList();
        return [new BenchmarkSubtask(Name, Name, SubtaskMetric.AccuracyAndNormalizedAccuracy, docs, path)];
    }
}
