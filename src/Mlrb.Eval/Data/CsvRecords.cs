using System.Text;

namespace Mlrb.Eval.Data;

/// <summary>RFC 4180 CSV (quoted fields may hold commas, doubled quotes and newlines), with the line each record starts on.</summary>
internal static class CsvRecords
{
    /// <summary>Largest CSV file read (256 MiB).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Reads every record of a file.</summary>
    public static List<(int Line, List<string> Fields)> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new BenchmarkDataException(path, 0, "file not found");
        }

        // MMLU's largest CSV is under 1 MB; a file far larger is not a benchmark file and is refused rather than loaded.
        try
        {
            var bytes = Files.BoundedFile.ReadAllBytes(path, MaxFileBytes);
            return Parse(new UTF8Encoding(false, true).GetString(bytes), path);
        }
        catch (DecoderFallbackException)
        {
            throw new BenchmarkDataException(path, 0, "not valid UTF-8");
        }
        catch (IOException ex)
        {
            throw new BenchmarkDataException(path, 0, ex is Files.FileLimitException limit ? limit.Reason : "cannot be read: " + ex.Message);
        }
    }

    /// <summary>Parses CSV text.</summary>
    public static List<(int Line, List<string> Fields)> Parse(string text, string source)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var fieldStarted = false;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            i = 1;
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (inQuotes)
        {
            throw new BenchmarkDataException(source, recordLine, "unterminated quoted field");
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            if (fieldStarted || fields.Count > 0)
            {
                fields.Add(field.ToString());
                records.Add((recordLine, fields));
                fields = [];
            }

            field.Clear();
            fieldStarted = false;
        }
    }
}
