using System.Text.Json;

namespace Mlrb.Eval.Data;

/// <summary>
/// Reads the eight SuperGLUE tasks from the original v2 release jsonl or from Hugging Face <c>aps/super_glue</c> rows;
/// the format is recognised per row (string vs integer labels, nested vs flattened MultiRC/ReCoRD/WSC).
/// </summary>
internal static class SuperGlueReader
{
    public static List<BoolQRow> ReadBoolQ(string path, DataIssueLog log)
        => JsonlFile.Read(path, log, static (r, line) => new BoolQRow(r.String("question"), r.String("passage"), r.Bool("label") ? 1 : 0, line));

    public static List<CbRow> ReadCb(string path, DataIssueLog log)
        => JsonlFile.Read(path, log, static (r, line) => new CbRow(r.String("premise"), r.String("hypothesis"), Label(r, "label", ["entailment", "contradiction", "neutral"]), line));

    public static List<RteRow> ReadRte(string path, DataIssueLog log)
        => JsonlFile.Read(path, log, static (r, line) => new RteRow(r.String("premise"), r.String("hypothesis"), Label(r, "label", ["entailment", "not_entailment"]), line));

    public static List<CopaRow> ReadCopa(string path, DataIssueLog log)
        => JsonlFile.Read(path, log, static (r, line) =>
        {
            var question = r.String("question");
            if (question is not ("cause" or "effect"))
            {
                throw new RowFormatException($"field 'question' must be \"cause\" or \"effect\", found \"{question}\"");
            }

            return new CopaRow(r.String("premise"), r.String("choice1"), r.String("choice2"), question, Label(r, "label", ["choice1", "choice2"]), line);
        });

    public static List<WicRow> ReadWic(string path, DataIssueLog log)
        => JsonlFile.Read(path, log, static (r, line) => new WicRow(
            r.String("word"), r.String("sentence1"), r.String("sentence2"),
            r.Int("start1"), r.Int("end1"), r.Int("start2"), r.Int("end2"), r.Bool("label") ? 1 : 0, line));

    public static List<WscRow> ReadWsc(string path, DataIssueLog log)
        => JsonlFile.Read(path, log, static (r, line) =>
        {
            var spans = r.Has("target") ? r.Object("target") : r;
            var row = new WscRow(r.String("text"), spans.Int("span1_index"), spans.String("span1_text"), spans.Int("span2_index"), spans.String("span2_text"), r.Bool("label") ? 1 : 0, line);
            return WscSpanFixer.Fix(row);
        });

    /// <summary>MultiRC: the original nested paragraphs are flattened into one row per answer, in nested order.</summary>
    public static List<MultiRcRow> ReadMultiRc(string path, DataIssueLog log)
    {
        var nested = JsonlFile.Read(path, log, static (r, line) =>
        {
            if (!r.Has("passage"))
            {
                var idx = r.Object("idx");
                return new List<MultiRcRow>
                {
                    new(r.String("paragraph"), r.String("question"), r.String("answer"), idx.Int("paragraph"), idx.Int("question"), idx.Int("answer"), r.Bool("label") ? 1 : 0, line),
                };
            }

            var passage = r.Object("passage");
            var text = passage.String("text");
            var paragraphIdx = r.Int("idx");
            var rows = new List<MultiRcRow>();
            foreach (var q in passage.Objects("questions"))
            {
                var question = q.String("question");
                var questionIdx = q.Int("idx");
                foreach (var a in q.Objects("answers"))
                {
                    rows.Add(new MultiRcRow(text, question, a.String("text"), paragraphIdx, questionIdx, a.Int("idx"), a.Bool("label") ? 1 : 0, line));
                }
            }

            return rows;
        });
        return nested.SelectMany(x => x).ToList();
    }

    /// <summary>ReCoRD: an original record becomes one row per query; entity texts are <c>text[start:end+1]</c> (inclusive end).</summary>
    public static List<RecordRow> ReadRecord(string path, DataIssueLog log)
    {
        var nested = JsonlFile.Read(path, log, static (r, line) =>
        {
            var passageElement = r.Get("passage");
            if (passageElement.ValueKind == JsonValueKind.String)
            {
                var hfEntities = r.Strings("entities");
                return new List<RecordRow> { new(passageElement.GetString()!, r.String("query"), hfEntities, r.Strings("answers"), line) };
            }

            var passage = r.Object("passage");
            var text = passage.String("text");
            var entities = new List<string>();
            foreach (var span in passage.Objects("entities"))
            {
                entities.Add(Span(text, span.Int("start"), span.Int("end")));
            }

            var rows = new List<RecordRow>();
            foreach (var qa in r.Objects("qas"))
            {
                var answers = qa.Has("answers") ? qa.Objects("answers").Select(a => a.String("text")).ToList() : [];
                rows.Add(new RecordRow(text, qa.String("query"), entities.Distinct(StringComparer.Ordinal).ToList(), answers.Distinct(StringComparer.Ordinal).ToList(), line));
            }

            return rows;
        });
        return nested.SelectMany(x => x).ToList();
    }

    private static string Span(string text, int start, int endInclusive)
    {
        if (start < 0 || endInclusive < start || endInclusive >= PyText.Length(text))
        {
            throw new RowFormatException($"entity span [{start}, {endInclusive}] is outside the passage text");
        }

        return PyText.Slice(text, start, endInclusive + 1);
    }

    /// <summary>An integer class label, or a release label string mapped through <paramref name="names"/>.</summary>
    private static int Label(JsonRow r, string field, string[] names)
    {
        var v = r.Get(field);
        if (v.ValueKind == JsonValueKind.String)
        {
            var index = Array.IndexOf(names, v.GetString());
            return index >= 0 ? index : throw new RowFormatException($"field '{field}' has unknown label \"{v.GetString()}\" (expected {string.Join(", ", names)})");
        }

        var i = r.Int(field);
        return i >= 0 && i < names.Length ? i : throw new RowFormatException($"field '{field}' is out of range: {i} (expected 0..{names.Length - 1})");
    }
}
