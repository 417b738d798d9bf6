using Mlrb.Eval.Benchmarks;

namespace Mlrb.Eval.Data;

/// <summary>What a data folder holds for one benchmark, as <c>mlrb data verify</c> reports it.</summary>
/// <param name="Benchmark">The benchmark.</param>
/// <param name="PresentSubtasks">Subtasks whose evaluation file was found.</param>
/// <param name="MissingSubtasks">Subtasks whose file is absent.</param>
/// <param name="Documents">Documents that would be evaluated (0-shot).</param>
/// <param name="Issues">Rows that could not be read.</param>
public sealed record DataInventory(BenchmarkKind Benchmark, int PresentSubtasks, IReadOnlyList<string> MissingSubtasks, int Documents, IReadOnlyList<DataIssue> Issues)
{
    /// <summary>Reads every file of the three benchmarks in a data folder (no model needed).</summary>
    /// <param name="dataDirectory">The data folder.</param>
    /// <returns>One inventory per benchmark.</returns>
    public static IReadOnlyList<DataInventory> Inspect(string dataDirectory)
    {
        var list = new List<DataInventory>();
        foreach (var benchmark in new[] { BenchmarkKind.Blimp, BenchmarkKind.Mmlu, BenchmarkKind.SuperGlue })
        {
            try
            {
                var built = BenchmarkEvaluation.Build(new EvaluationOptions { Benchmark = benchmark, DataDirectory = dataDirectory, KeepDocuments = false });
                list.Add(new DataInventory(benchmark, built.Subtasks.Count, built.Missing, built.Subtasks.Sum(s => s.Documents.Count), built.Issues));
            }
            catch (BenchmarkDataException) when (Directory.Exists(dataDirectory))
            {
                var all = benchmark switch
                {
                    BenchmarkKind.Blimp => BlimpParadigms.All.Select(p => "blimp_" + p.Uid),
                    BenchmarkKind.Mmlu => MmluSubjects.All.Select(s => "mmlu_" + s.Subject),
                    _ => SuperGlueBenchmark.Tasks,
                };
                list.Add(new DataInventory(benchmark, 0, all.ToList(), 0, []));
            }
        }

        return list;
    }
}
