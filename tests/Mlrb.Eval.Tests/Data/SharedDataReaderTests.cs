using Mlrb.Eval.Data;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Data;

/// <summary>Counts and label distributions are those of harness-scoring.md §3.3 and the data README.</summary>
public class SharedDataReaderTests
{
    private static DataIssueLog Strict() => new(strict: true);

    [Test]
    public void SuperGlue_ValidationLabelDistributions()
    {
        var dir = TestPaths.RequireSharedData("benchmarks/superglue");
        var cb = SuperGlueReader.ReadCb(Path.Combine(dir, "CB", "val.jsonl"), Strict());
        Assert.That(cb.Count(r => r.Label == 1), Is.EqualTo(28), "contradiction");
        Assert.That(cb.Count(r => r.Label == 0), Is.EqualTo(23), "entailment");
        Assert.That(cb.Count(r => r.Label == 2), Is.EqualTo(5), "neutral");
        var rte = SuperGlueReader.ReadRte(Path.Combine(dir, "RTE", "val.jsonl"), Strict());
        Assert.That((rte.Count(r => r.Label == 0), rte.Count(r => r.Label == 1)), Is.EqualTo((146, 131)));
        var copa = SuperGlueReader.ReadCopa(Path.Combine(dir, "COPA", "val.jsonl"), Strict());
        Assert.That((copa.Count(r => r.Label == 0), copa.Count(r => r.Label == 1)), Is.EqualTo((55, 45)));
        var wic = SuperGlueReader.ReadWic(Path.Combine(dir, "WiC", "val.jsonl"), Strict());
        Assert.That((wic.Count(r => r.Label == 0), wic.Count(r => r.Label == 1)), Is.EqualTo((319, 319)));
        var boolq = SuperGlueReader.ReadBoolQ(Path.Combine(dir, "BoolQ", "val.jsonl"), Strict());
        Assert.That((boolq.Count(r => r.Label == 1), boolq.Count(r => r.Label == 0)), Is.EqualTo((2033, 1237)));
        Assert.That(boolq.Count(r => r.Question.EndsWith('?')), Is.Zero);
    }

    [Test]
    public void Record_OriginalRecordsBecomeOneRowPerQuery_WithInclusiveEntitySpans()
    {
        var path = TestPaths.RequireSharedData("benchmarks/superglue/ReCoRD/train-sample32.jsonl");
        var rows = SuperGlueReader.ReadRecord(path, Strict());
        Assert.That(rows, Has.Count.GreaterThanOrEqualTo(32));
        foreach (var row in rows)
        {
            Assert.That(row.Entities, Is.Not.Empty);
            Assert.That(row.Answers, Is.Not.Empty);
            // Every gold answer is the text of one of the passage's entity spans.
            Assert.That(row.Answers.All(a => row.Entities.Contains(a)), Is.True, row.Query);
            Assert.That(row.Entities.All(e => row.Passage.Contains(e, StringComparison.Ordinal)), Is.True);
        }
    }

    [Test]
    public void Mmlu_CsvWithQuotedCommasAndNewlines_ReadsEveryRow()
    {
        var dir = TestPaths.RequireSharedData("benchmarks/mmlu");
        Assert.That(MmluReader.Read(Path.Combine(dir, "test", "abstract_algebra_test.csv"), Strict()), Has.Count.EqualTo(100));
        Assert.That(MmluReader.Read(Path.Combine(dir, "test", "high_school_european_history_test.csv"), Strict()), Has.Count.EqualTo(165));
        var dev = MmluReader.Read(Path.Combine(dir, "dev", "abstract_algebra_dev.csv"), Strict());
        Assert.That(dev, Has.Count.EqualTo(5));
        Assert.That(dev[0].Question, Is.EqualTo("Find all c in Z_3 such that Z_3[x]/(x^2 + c) is a field."));
        Assert.That(dev[0].Answer, Is.EqualTo(1));
    }

    [Test]
    public void Blimp_ThousandPairsPerParadigm()
    {
        var path = TestPaths.RequireSharedData("benchmarks/blimp/adjunct_island.jsonl");
        var pairs = BlimpReader.Read(path, Strict());
        Assert.That(pairs, Has.Count.EqualTo(1000));
        Assert.That(pairs[0].SentenceGood, Is.EqualTo("Who should Derek hug after shocking Richard?"));
    }
}
