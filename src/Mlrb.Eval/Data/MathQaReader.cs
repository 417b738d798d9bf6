using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mlrb.Eval.Data;

/// <summary>One MathQA problem after the harness's <c>doc_to_choice</c>: the problem text, the five option texts and the gold index.</summary>
/// <param name="Problem">The <c>Problem</c> field.</param>
/// <param name="Choices">The option texts parsed from <c>options</c>.</param>
/// <param name="Answer">The gold index (<c>correct</c> a..e).</param>
/// <param name="Line">1-based line (JSONL) or 1-based item number (JSON array).</param>
internal sealed record MathQaProblem(string Problem, IReadOnlyList<string> Choices, int Answer, int Line);

/// <summary>
/// Reads MathQA (allenai/math_qa): the original release's JSON arrays <c>mathqa/{train,dev,test}.json</c>, or rows exported
/// as <c>mathqa/{train,validation,test}.jsonl</c>; each item has <c>Problem</c>, <c>options</c>
/// (<c>"a ) 38 , b ) 27.675 , ..."</c>) and <c>correct</c> (a..e).
/// </summary>
internal static partial class MathQaReader
{
    /// <summary>The evaluation file of a split (<c>test</c> or <c>validation</c>); JSONL wins over the release's JSON.</summary>
    public static string Locate(string dataDirectory, string split)
    {
        var folder = Path.Combine(dataDirectory, "mathqa");
        var jsonl = Path.Combine(folder, split + ".jsonl");
        var json = Path.Combine(folder, (split == "validation" ? "dev" : split) + ".json");
        return File.Exists(jsonl) || !File.Exists(json) ? jsonl : json;
    }

    /// <summary>The harness's <c>doc_to_choice</c>: <c>[c[4:].rstrip(" ,") for c in re.findall(r"[abcd] \) .*?, |e \) .*?$", options)]</c>.</summary>
    public static List<string> Choices(string options)
        => [.. OptionPattern().Matches(options).Select(m => m.Value[4..].TrimEnd(' ', ','))];

    /// <summary>Reads the problems of a file (JSON array or JSONL by extension).</summary>
    public static List<MathQaProblem> Read(string path, DataIssueLog log)
    {
        if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return JsonlFile.Read(path, log, Parse);
        }

        if (!File.Exists(path))
        {
            throw new BenchmarkDataException(path, 0, "file not found");
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new BenchmarkDataException(path, 1, "expected a JSON array of MathQA problems");
        }

        var problems = new List<MathQaProblem>();
        var item = 0;
        foreach (var element in doc.RootElement.EnumerateArray())
        {
            item++;
            try
            {
                problems.Add(Parse(new JsonRow(element), item));
            }
            catch (RowFormatException ex)
            {
                log.Report(path, item, ex.Message);
            }
        }

        return problems;
    }

    private static MathQaProblem Parse(JsonRow row, int line)
    {
        var choices = Choices(row.String("options"));
        if (choices.Count != 5)
        {
            throw new RowFormatException($"field 'options' must hold five options a ) .. e ), found {choices.Count}");
        }

        var correct = row.String("correct").Trim();
        var answer = correct.Length == 1 ? "abcde".IndexOf(correct[0], StringComparison.Ordinal) : -1;
        return answer < 0
            ? throw new RowFormatException($"field 'correct' must be one of a, b, c, d, e, found '{correct}'")
            : new MathQaProblem(row.String("Problem"), choices, answer, line);
    }

    [GeneratedRegex(@"[abcd] \) .*?, |e \) .*?$", RegexOptions.CultureInvariant)]
    private static partial Regex OptionPattern();
}
