using Mlrb.Eval.Benchmarks;

namespace Mlrb.Eval.Data;

/// <summary>The official release files of each benchmark and where they go in the data folder (docs/eval-benchmarks.md).</summary>
public static class DataReleases
{
    /// <summary>The files of a benchmark's release.</summary>
    /// <param name="benchmark">BLiMP, SuperGLUE or MMLU.</param>
    /// <returns>The files.</returns>
    public static IReadOnlyList<DataRelease> For(BenchmarkKind benchmark) => benchmark switch
    {
        BenchmarkKind.Blimp => BlimpParadigms.All
            .Select(p => new DataRelease(new Uri($"https://raw.githubusercontent.com/alexwarstadt/blimp/master/data/{p.Uid}.jsonl"), $"blimp/{p.Uid}.jsonl", $"blimp/{p.Uid}.jsonl"))
            .ToList(),
        BenchmarkKind.Mmlu => [new DataRelease(new Uri("https://people.eecs.berkeley.edu/~hendrycks/data.tar"), "mmlu/data.tar", "mmlu/data.tar")],
        BenchmarkKind.SuperGlue => SuperGlueFiles.Folders.Values
            .Select(f => new DataRelease(new Uri($"https://dl.fbaipublicfiles.com/glue/superglue/data/v2/{f}.zip"), $"superglue/{f}.zip", $"superglue/{f}.zip"))
            .ToList(),
        _ => throw new ArgumentException($"{benchmark} has no downloadable release.", nameof(benchmark)),
    };
}
