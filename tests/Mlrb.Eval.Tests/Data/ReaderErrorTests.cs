using Mlrb.Eval.Data;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Data;

public class ReaderErrorTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-readers");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Test]
    public void Mmlu_AnswerOutOfRange_NamesFileAndLine_MultilineRecordsCountLines()
    {
        var path = Write("x_test.csv", "\"multi\nline\",a,b,c,d,A\nq2,a,b,c,d,E\nq3,a,b,c,d,B\n");
        var log = new DataIssueLog(strict: false);
        var rows = MmluReader.Read(path, log);
        Assert.That(rows.Select(r => r.Question), Is.EqualTo(new[] { "multi\nline", "q3" }));
        Assert.That(log.Issues.Single().Line, Is.EqualTo(3));
        Assert.That(log.Issues.Single().Message, Does.Contain("'E'"));
        Assert.That(() => MmluReader.Read(path, new DataIssueLog(strict: true)), Throws.TypeOf<BenchmarkDataException>().With.Message.Contains("x_test.csv:3"));
    }

    [Test]
    public void Mmlu_HuggingFaceJsonl_AcceptsIndexOrLetter_AndRejectsOutOfRange()
    {
        var path = Write("test.jsonl", "{\"question\": \"q\", \"subject\": \"s\", \"choices\": [\"a\",\"b\",\"c\",\"d\"], \"answer\": 2}\n{\"question\": \"q\", \"choices\": [\"a\",\"b\",\"c\",\"d\"], \"answer\": \"D\"}\n{\"question\": \"q\", \"choices\": [\"a\",\"b\",\"c\",\"d\"], \"answer\": 4}\n");
        var log = new DataIssueLog(strict: false);
        Assert.That(MmluReader.Read(path, log).Select(r => r.Answer), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(log.Issues.Single().ToString(), Does.Contain("test.jsonl:3").And.Contain("out of range"));
    }

    [Test]
    public void SuperGlue_UnknownLabel_AndHfIntegerLabels()
    {
        var path = Write("val.jsonl", "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"maybe\", \"idx\": 0}\n{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": 2, \"idx\": 1}\n");
        var log = new DataIssueLog(strict: false);
        Assert.That(SuperGlueReader.ReadCb(path, log).Single().Label, Is.EqualTo(2));
        Assert.That(log.Issues.Single().Message, Does.Contain("unknown label \"maybe\""));
    }

    [Test]
    public void MultiRc_HuggingFaceRows_AndWscNestedTarget()
    {
        var multirc = Write("m.jsonl", "{\"paragraph\": \"P\", \"question\": \"Q\", \"answer\": \"A\", \"idx\": {\"paragraph\": 0, \"question\": 1, \"answer\": 2}, \"label\": 1}\n");
        var row = SuperGlueReader.ReadMultiRc(multirc, new DataIssueLog(true)).Single();
        Assert.That((row.Paragraph, row.QuestionIdx, row.AnswerIdx, row.Label), Is.EqualTo(("P", 1, 2, 1)));
        var wsc = Write("w.jsonl", "{\"text\": \"Mark told Pete many lies about himself.\", \"target\": {\"span1_index\": 0, \"span1_text\": \"Mark\", \"span2_index\": 5, \"span2_text\": \"himself\"}, \"label\": false, \"idx\": 0}\n");
        var w = SuperGlueReader.ReadWsc(wsc, new DataIssueLog(true)).Single();
        Assert.That((w.Span1Text, w.Span2Index, w.Label), Is.EqualTo(("Mark", 5, 0)));
    }

    [Test]
    public void Record_SpanOutsideThePassage_IsReported()
    {
        var path = Write("r.jsonl", "{\"passage\": {\"text\": \"Short.\", \"entities\": [{\"start\": 0, \"end\": 40}]}, \"qas\": []}\n");
        var log = new DataIssueLog(strict: false);
        Assert.That(SuperGlueReader.ReadRecord(path, log), Is.Empty);
        Assert.That(log.Issues.Single().Message, Does.Contain("outside the passage"));
    }

    [Test]
    public void MissingFile_IsAClearError()
        => Assert.That(() => BlimpReader.Read(Path.Combine(_dir, "nope.jsonl"), new DataIssueLog(false)), Throws.TypeOf<BenchmarkDataException>().With.Message.Contains("nope.jsonl: file not found"));
}
