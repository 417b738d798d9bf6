namespace Mlrb.Eval.Data;

/// <summary>
/// Reads MMLU questions: the original headerless CSV <c>mmlu/{dev,test}/&lt;subject&gt;_{dev,test}.csv</c>
/// (<c>question,A,B,C,D,answer_letter</c>), or Hugging Face <c>cais/mmlu</c> rows exported as
/// <c>mmlu/&lt;subject&gt;/{dev,test}.jsonl</c> (<c>question</c>, <c>choices</c>, <c>answer</c> as 0..3 or a letter).
/// </summary>
internal static class MmluReader
{
    /// <summary>The file for a subject and split (<c>dev</c> or <c>test</c>); CSV wins when both exist.</summary>
    public static string Locate(string dataDirectory, string subject, string split)
    {
        var csv = Path.Combine(dataDirectory, "mmlu", split, $"{subject}_{split}.csv");
        var jsonl = Path.Combine(dataDirectory, "mmlu", subject, split + ".jsonl");
        return File.Exists(csv) || !File.Exists(jsonl) ? csv : jsonl;
    }

    /// <summary>Reads the questions of one file (CSV or JSONL by extension).</summary>
    public static List<MmluQuestion> Read(string path, DataIssueLog log)
        => path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? ReadJsonl(path, log) : ReadCsv(path, log);

    private static List<MmluQuestion> ReadCsv(string path, DataIssueLog log)
    {
        var questions = new List<MmluQuestion>();
        foreach (var (line, fields) in CsvRecords.Read(path))
        {
            if (fields.Count != 6)
            {
                log.Report(path, line, $"expected 6 columns (question,A,B,C,D,answer), found {fields.Count}");
                continue;
            }

            var answer = LetterIndex(fields[5]);
            if (answer < 0)
            {
                log.Report(path, line, $"answer '{fields[5]}' is not one of A, B, C, D");
                continue;
            }

            questions.Add(new MmluQuestion(fields[0], [fields[1], fields[2], fields[3], fields[4]], answer, line));
        }

        return questions;
    }

    private static List<MmluQuestion> ReadJsonl(string path, DataIssueLog log)
        => JsonlFile.Read(path, log, static (row, line) =>
        {
            var choices = row.Strings("choices");
            if (choices.Count != 4)
            {
                throw new RowFormatException($"field 'choices' must hold 4 strings, found {choices.Count}");
            }

            var a = row.Get("answer");
            var answer = a.ValueKind == System.Text.Json.JsonValueKind.String ? LetterIndex(a.GetString()!) : row.Int("answer");
            if (answer is < 0 or > 3)
            {
                throw new RowFormatException($"field 'answer' is out of range (0..3 or A..D): {a.GetRawText()}");
            }

            return new MmluQuestion(row.String("question"), choices, answer, line);
        });

    private static int LetterIndex(string letter) => letter.Trim() switch
    {
        "A" => 0,
        "B" => 1,
        "C" => 2,
        "D" => 3,
        _ => -1,
    };
}
