using Mlrb.Eval.Data;

namespace Mlrb.Eval.Benchmarks;

/// <summary>BLiMP subtasks: <c>("", " " + good)</c> vs <c>("", " " + bad)</c>, zero-shot, gold 0.</summary>
internal static class BlimpBenchmark
{
    /// <summary>Builds every paradigm whose file is present.</summary>
    public static List<BenchmarkSubtask> Build(BuildSettings settings)
    {
        if (settings.Shots != 0)
        {
            throw new ArgumentException("BLiMP is zero-shot in the harness (num_fewshot: 0); pass 0 shots.", nameof(settings));
        }

        var subtasks = new List<BenchmarkSubtask>();
        foreach (var (uid, field) in BlimpParadigms.All.Where(p => settings.Includes("blimp_" + p.Uid, "blimp_")))
        {
            var path = BlimpReader.Locate(settings.DataDirectory, uid);
            if (!File.Exists(path))
            {
                settings.ReportMissing("blimp_" + uid, path);
                continue;
            }

            var pairs = settings.Take(BlimpReader.Read(path, settings.Log)).ToList();
            var docs = pairs.Select((p, i) => FewShotContext.ToDocument(i, p.Line, string.Empty, HarnessPrompts.Blimp(p))).ToList();
            subtasks.Add(new BenchmarkSubtask("blimp_" + uid, field, SubtaskMetric.Accuracy, docs, path));
        }

        return subtasks;
    }
}
