using Mlrb.Eval.Data;

namespace Mlrb.Eval.Benchmarks;

/// <summary>MMLU subtasks: subject header, the first k dev rows as shots, letter continuations.</summary>
internal static class MmluBenchmark
{
    /// <summary>Builds every subject whose test file is present.</summary>
    public static List<BenchmarkSubtask> Build(BuildSettings settings)
    {
        var subtasks = new List<BenchmarkSubtask>();
        var split = settings.Split == EvaluationSplit.Validation ? "val" : "test";
        foreach (var (subject, category, _) in MmluSubjects.All.Where(s => settings.Includes("mmlu_" + s.Subject, "mmlu_")))
        {
            var name = "mmlu_" + subject;
            var testPath = MmluReader.Locate(settings.DataDirectory, subject, split);
            if (!File.Exists(testPath))
            {
                settings.ReportMissing(name, testPath);
                continue;
            }

            var shots = new List<PromptedDocument>();
            if (settings.Shots > 0)
            {
                var devPath = MmluReader.Locate(settings.DataDirectory, subject, "dev");
                if (!File.Exists(devPath))
                {
                    settings.ReportMissing(name, devPath);
                    continue;
                }

                var dev = MmluReader.Read(devPath, settings.Log);
                if (dev.Count < settings.Shots)
                {
                    throw new BenchmarkDataException(devPath, 0, $"{settings.Shots} shots asked for but the dev split has {dev.Count} rows");
                }

                shots = dev.Take(settings.Shots).Select(HarnessPrompts.Mmlu).ToList();
            }

            var description = HarnessPrompts.MmluDescription(subject);
            var docs = settings.Take(MmluReader.Read(testPath, settings.Log)).Select((q, i) =>
            {
                var prompted = HarnessPrompts.Mmlu(q);
                return FewShotContext.ToDocument(i, q.Line, FewShotContext.Build(description, shots, prompted), prompted);
            }).ToList();
            subtasks.Add(new BenchmarkSubtask(name, category, SubtaskMetric.Accuracy, docs, testPath));
        }

        return subtasks;
    }
}
