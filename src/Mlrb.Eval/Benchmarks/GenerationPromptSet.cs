using System.Text;
using System.Text.Json;
using Mlrb.Eval.Data;
using Mlrb.Tasks;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// The held-out items of a text-generation task: <c>&lt;data&gt;/&lt;folder&gt;/test.jsonl</c> when present, else the last
/// <see cref="GenerationSpec.HeldOutRows"/> rows of <c>train.jsonl</c>; the first <see cref="GenerationSpec.Items"/> of
/// them, each rendered through the prompt template.
/// </summary>
internal static class GenerationPromptSet
{
    public sealed record Item(string Source, string? Name, string Prompt, string Reference);

    public static (List<Item> Items, string Description) Load(string dataDirectory, GenerationSpec spec, int? limit, DataIssueLog log)
    {
        var folder = Path.Combine(dataDirectory, spec.DataFolder);
        var test = Path.Combine(folder, "test.jsonl");
        var train = Path.Combine(folder, "train.jsonl");
        List<(int Line, string Text)> rows;
        string description;
        if (File.Exists(test))
        {
            rows = NonBlankLines(test);
            description = $"{test} (its own held-out file)";
        }
        else if (File.Exists(train))
        {
            var all = NonBlankLines(train);
            var first = Math.Max(0, all.Count - spec.HeldOutRows);
            rows = all.GetRange(first, all.Count - first);
            description = $"{train}, rows {first}-{all.Count - 1} of {all.Count} (the last {spec.HeldOutRows}, held out)";
        }
        else
        {
            throw new BenchmarkDataException(
                $"{folder}: neither test.jsonl nor train.jsonl found. Export the task's dataset as JSON lines there (see docs/eval-benchmarks.md, math_reasoning).");
        }

        var wanted = Math.Min(limit ?? spec.Items, spec.Items);
        var items = new List<Item>();
        foreach (var (line, text) in rows)
        {
            if (items.Count >= wanted)
            {
                break;
            }

            var path = File.Exists(test) ? test : train;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var row = new JsonRow(doc.RootElement);
                var prompt = Render(spec.PromptTemplate, row);
                var reference = row.String(spec.ReferenceField);
                var name = row.Has("name") && row.Get("name").ValueKind == JsonValueKind.String ? row.Get("name").GetString() : null;
                items.Add(new Item($"{path}:{line}", name, prompt, reference));
            }
            catch (JsonException ex)
            {
                log.Report(path, line, "malformed JSON: " + ex.Message);
            }
            catch (RowFormatException ex)
            {
                log.Report(path, line, ex.Message);
            }
        }

        if (items.Count == 0)
        {
            throw new BenchmarkDataException($"{folder}: no usable rows in the held-out part.");
        }

        return (items, description);
    }

    /// <summary>Replaces <c>{field}</c> with the row's field; <c>{{</c> and <c>}}</c> are literal braces.</summary>
    public static string Render(string template, JsonRow row)
    {
        var sb = new StringBuilder(template.Length * 2);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                sb.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i + 1);
                if (end < 0)
                {
                    throw new BenchmarkDataException($"prompt template: '{{' at {i} is never closed (write {{{{ for a literal brace).");
                }

                sb.Append(row.String(template[(i + 1)..end]));
                i = end;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static List<(int Line, string Text)> NonBlankLines(string path)
    {
        var rows = new List<(int, string)>();
        var n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                rows.Add((n, line));
            }
        }

        return rows;
    }
}
