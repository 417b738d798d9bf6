using Mlrb.Eval.Metrics;

namespace Mlrb.Eval.Benchmarks;

/// <summary>Group scores: BLiMP mean of paradigms; MMLU micro overall and per category plus the paper's category mean; SuperGLUE mean of the eight.</summary>
internal static class BenchmarkAggregation
{
    /// <summary>The SuperGLUE metric that enters the paper's mean for each task.</summary>
    public static readonly IReadOnlyDictionary<string, string> SuperGlueHeadlineMetric = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["boolq"] = "acc",
        ["cb"] = "acc",
        ["copa"] = "acc",
        ["multirc"] = "acc",
        ["record"] = "em",
        ["sglue_rte"] = "acc",
        ["wic"] = "acc",
        ["wsc"] = "acc",
    };

    /// <summary>Computes the groups of a benchmark from its (scored) subtasks.</summary>
    public static List<AggregateResult> Aggregate(BenchmarkKind benchmark, IReadOnlyList<SubtaskResult> subtasks)
    {
        var scored = subtasks.Where(s => s.Documents > 0).ToList();
        if (scored.Count == 0)
        {
            return [];
        }

        return benchmark switch
        {
            BenchmarkKind.Blimp => [Unweighted("blimp", scored, "acc", $"unweighted mean of acc over {scored.Count} paradigm(s) (harness group blimp, weight_by_size: False)")],
            BenchmarkKind.Mmlu => Mmlu(scored),
            BenchmarkKind.SuperGlue => [SuperGlue(scored)],
            BenchmarkKind.MathQa => [Unweighted("mathqa", scored, "acc", "acc over the MathQA test problems (harness task mathqa)")],
            _ => [],
        };
    }

    private static List<AggregateResult> Mmlu(List<SubtaskResult> scored)
    {
        var list = new List<AggregateResult> { Micro("mmlu", scored, $"micro average of acc over {scored.Sum(s => s.Documents)} questions in {scored.Count} subject(s) (harness group mmlu, weight_by_size: True)") };
        var categoryMacros = new List<double>();
        foreach (var category in MmluSubjects.Categories)
        {
            var members = scored.Where(s => s.Group == category).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            list.Add(Micro("mmlu_" + category, members, $"micro average of acc over the {members.Count} {category} subject(s) present"));
            categoryMacros.Add(members.Average(m => Acc(m).Value));
        }

        list.Add(new AggregateResult(
            "mmlu_paper",
            categoryMacros.Average(),
            null,
            $"paper formula: mean over {categoryMacros.Count} categor(ies) of the unweighted mean of subject accuracies in each category"));
        return list;
    }

    private static AggregateResult SuperGlue(List<SubtaskResult> scored)
    {
        var values = scored.Select(s => s.Metrics.First(m => m.Name == SuperGlueHeadlineMetric[s.Name]).Value).ToList();
        var terms = string.Join(" + ", scored.Select(s => $"{s.Name}.{SuperGlueHeadlineMetric[s.Name]}"));
        return new AggregateResult("superglue", values.Average(), null, $"paper formula: (1/{scored.Count}) * ({terms})");
    }

    private static AggregateResult Unweighted(string name, List<SubtaskResult> members, string metric, string formula)
    {
        var values = members.Select(m => m.Metrics.First(x => x.Name == metric)).ToList();
        return new AggregateResult(name, values.Average(v => v.Value), Pooled(members), formula);
    }

    private static AggregateResult Micro(string name, List<SubtaskResult> members, string formula)
    {
        var correct = members.Sum(m => Acc(m).Value * m.Documents);
        var total = members.Sum(m => m.Documents);
        return new AggregateResult(name, correct / total, Pooled(members), formula);
    }

    private static MetricValue Acc(SubtaskResult s) => s.Metrics.First(m => m.Name == "acc");

    private static double? Pooled(List<SubtaskResult> members)
    {
        var pooled = SampleStatistics.PooledStderr(members.Select(m => (Acc(m).Stderr ?? double.NaN, m.Documents)).ToList());
        return double.IsNaN(pooled) ? null : pooled;
    }
}
