using System.Text.Json;

namespace Mlrb.Eval.Data;

/// <summary>Reads a JSON-lines file row by row, turning each bad row into a <see cref="DataIssue"/> that names file and line.</summary>
internal static class JsonlFile
{
    /// <summary>Parses every non-blank line with <paramref name="parse"/>; bad rows are reported to <paramref name="log"/> and skipped.</summary>
    public static List<T> Read<T>(string path, DataIssueLog log, Func<JsonRow, int, T> parse)
    {
        if (!File.Exists(path))
        {
            throw new BenchmarkDataException(path, 0, "file not found");
        }

        var rows = new List<T>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                rows.Add(parse(new JsonRow(doc.RootElement), lineNumber));
            }
            catch (JsonException ex)
            {
                log.Report(path, lineNumber, "malformed JSON: " + ex.Message);
            }
            catch (RowFormatException ex)
            {
                log.Report(path, lineNumber, ex.Message);
            }
        }

        return rows;
    }
}
