using Mlrb.Eval.Data;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// The eight SuperGLUE tasks of the harness's <c>super-glue-lm-eval-v1</c> tag, evaluated on validation; few-shot examples
/// are drawn from train with one <c>random.Random(1234)</c> per task, consumed document by document.
/// </summary>
internal static class SuperGlueBenchmark
{
    /// <summary>The harness's default few-shot seed.</summary>
    public const int FewShotSeed = 1234;

    /// <summary>The task names in report order.</summary>
    public static readonly IReadOnlyList<string> Tasks = ["boolq", "cb", "copa", "multirc", "record", "sglue_rte", "wic", "wsc"];

    /// <summary>Builds every task whose validation file is present.</summary>
    public static List<BenchmarkSubtask> Build(BuildSettings s)
    {
        var subtasks = new List<BenchmarkSubtask>();
        Add(subtasks, s, "boolq", SubtaskMetric.Accuracy, p => SuperGlueReader.ReadBoolQ(p, s.Log).Select(r => (r.Line, HarnessPrompts.BoolQ(r))));
        Add(subtasks, s, "cb", SubtaskMetric.AccuracyAndMacroF1, p => SuperGlueReader.ReadCb(p, s.Log).Select(r => (r.Line, HarnessPrompts.Cb(r))));
        Add(subtasks, s, "copa", SubtaskMetric.Accuracy, p => SuperGlueReader.ReadCopa(p, s.Log).Select(r => (r.Line, HarnessPrompts.Copa(r))));
        Add(subtasks, s, "multirc", SubtaskMetric.Accuracy, p => SuperGlueReader.ReadMultiRc(p, s.Log).Select(r => (r.Line, HarnessPrompts.MultiRc(r, s.FixMultiRc))));
        AddRecord(subtasks, s);
        Add(subtasks, s, "sglue_rte", SubtaskMetric.Accuracy, p => SuperGlueReader.ReadRte(p, s.Log).Select(r => (r.Line, HarnessPrompts.Rte(r))));
        Add(subtasks, s, "wic", SubtaskMetric.Accuracy, p => SuperGlueReader.ReadWic(p, s.Log).Select(r => (r.Line, HarnessPrompts.Wic(r))));
        Add(subtasks, s, "wsc", SubtaskMetric.Accuracy, p => SuperGlueReader.ReadWsc(p, s.Log).Select(r => (r.Line, HarnessPrompts.Wsc(r))));
        return subtasks;
    }

    /// <summary>
    /// The harness's default sampler when the few-shot split equals the test split: <c>rnd.sample(pool, n + 1)</c>,
    /// drop the document itself, keep the first n.
    /// </summary>
    public static List<PromptedDocument> DrawShots(PythonRandom rng, IReadOnlyList<PromptedDocument> pool, PromptedDocument document, int shots)
    {
        if (shots == 0)
        {
            return [];
        }

        return rng.Sample(pool, Math.Min(shots + 1, pool.Count))
            .Where(x => !(x.Text == document.Text && x.TargetText == document.TargetText))
            .Take(shots)
            .ToList();
    }

    private static void Add(List<BenchmarkSubtask> subtasks, BuildSettings s, string task, SubtaskMetric metric, Func<string, IEnumerable<(int Line, PromptedDocument Doc)>> read)
    {
        if (!s.Includes(task, string.Empty))
        {
            return;
        }

        var valPath = SuperGlueFiles.Validation(s.DataDirectory, task);
        if (!File.Exists(valPath))
        {
            s.ReportMissing(task, valPath);
            return;
        }

        var pool = LoadPool(s, task, path => read(path).Select(x => x.Doc).Where(d => d.Gold >= 0).ToList());
        if (pool is null)
        {
            return;
        }

        var rng = new PythonRandom(FewShotSeed);
        var docs = new List<BenchmarkDocument>();
        foreach (var (line, doc) in s.Take(read(valPath)))
        {
            var context = FewShotContext.Build(string.Empty, DrawShots(rng, pool, doc, s.Shots), doc);
            docs.Add(FewShotContext.ToDocument(docs.Count, line, context, doc));
        }

        subtasks.Add(new BenchmarkSubtask(task, "superglue", metric, docs, valPath));
    }

    private static void AddRecord(List<BenchmarkSubtask> subtasks, BuildSettings s)
    {
        const string task = "record";
        if (!s.Includes(task, string.Empty))
        {
            return;
        }

        var valPath = SuperGlueFiles.Validation(s.DataDirectory, task);
        if (!File.Exists(valPath))
        {
            s.ReportMissing(task, valPath);
            return;
        }

        var pool = LoadPool(s, task, path => SuperGlueReader.ReadRecord(path, s.Log)
            .Select(r => HarnessPrompts.Record(r, out _, out _))
            .Where(d => d.TargetText.Length > 0)
            .ToList());
        if (pool is null)
        {
            return;
        }

        var rng = new PythonRandom(FewShotSeed);
        var docs = new List<BenchmarkDocument>();
        foreach (var row in s.Take(SuperGlueReader.ReadRecord(valPath, s.Log)))
        {
            var prompted = HarnessPrompts.Record(row, out var entities, out var answers);
            if (answers.Count == 0 || entities.Count == 0)
            {
                s.Log.Report(valPath, row.Line, answers.Count == 0 ? "ReCoRD query has no gold answers" : "ReCoRD passage has no entities");
                continue;
            }

            var context = FewShotContext.Build(string.Empty, DrawShots(rng, pool, prompted, s.Shots), prompted);
            docs.Add(FewShotContext.ToDocument(docs.Count, row.Line, context, prompted) with { Entities = entities, Answers = answers });
        }

        subtasks.Add(new BenchmarkSubtask(task, "superglue", SubtaskMetric.SquadF1AndExactMatch, docs, valPath));
    }

    private static List<PromptedDocument>? LoadPool(BuildSettings s, string task, Func<string, List<PromptedDocument>> read)
    {
        if (s.Shots == 0)
        {
            return [];
        }

        var trainPath = SuperGlueFiles.Train(s.DataDirectory, task);
        if (!File.Exists(trainPath))
        {
            s.ReportMissing(task, trainPath);
            return null;
        }

        var pool = read(trainPath);
        if (pool.Count <= s.Shots)
        {
            throw new BenchmarkDataException(trainPath, 0, $"{s.Shots} shots need more than {pool.Count} training rows");
        }

        return pool;
    }
}
