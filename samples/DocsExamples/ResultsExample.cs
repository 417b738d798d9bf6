using Mlrb.Tasks.Results;
using Mlrb.Tasks.Storage;

namespace DocsExamples;

/// <summary>docs/benchmark-loop.md: the results of a run store, from your own code.</summary>
public static class ResultsExample
{
    public static async Task<string> SummarizeAsync(string databasePath)
    {
        await using IRunStore store = await RunStoreFactory.OpenSqliteAsync(databasePath);
        ResultsReport report = await ResultsLedger.LoadAsync(store, new ResultsFilter { Task = "mini_baby_lm" });

        foreach (TaskAgentResults row in report.Summaries)
        {
            // MeanScore counts failed runs as 0 (the paper's Tables 4-5); MeanScoredScore is its Figure 1.
            Console.WriteLine($"{row.Agent}: {row.Scored}/{row.Runs} scored, mean {row.MeanScore:0.000} ± {row.StandardError:0.000}, "
                + $"mean of scored {row.MeanScoredScore:0.000}, infrastructure failures {row.InfrastructureFailures}");
        }

        return report.ToJson(); // everything `mlrb results --json` writes; ResultsReport.FromJson reads it back
    }
}
