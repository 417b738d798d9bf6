using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Mlrb.Eval.Data;

/// <summary>
/// Reads a JSON-lines file row by row, turning each bad row into a <see cref="DataIssue"/> that names file and line.
/// Streams: memory stays bounded by the row limit whatever the file holds. A row over the limit is skipped without
/// being held, and a row that is not valid UTF-8 is reported rather than silently repaired.
/// </summary>
internal static class JsonlFile
{
    /// <summary>Default largest row, in bytes (4 MiB).</summary>
    public const int DefaultMaxRowBytes = 4 << 20;

    /// <summary>Parses every non-blank line with <paramref name="parse"/>; bad rows are reported to <paramref name="log"/> and skipped.</summary>
    public static List<T> Read<T>(string path, DataIssueLog log, Func<JsonRow, int, T> parse)
    {
        if (!File.Exists(path))
        {
            throw new BenchmarkDataException(path, 0, "file not found");
        }

        var rows = new List<T>();
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // E.g. a link to itself: reported like a bad row, so the other files are still read.
            log.Report(path, 0, "cannot be read: " + ex.Message.Split(" : '", 2)[0]);
            return rows;
        }

        using (stream)
        {
            foreach (var (lineNumber, line, problem) in Lines(stream, log.MaxRowBytes))
            {
                if (problem is not null)
                {
                    log.Report(path, lineNumber, problem);
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
        }

        return rows;
    }

    /// <summary>
    /// The file's non-blank lines (without the line break), or a problem for a line that is too long or not UTF-8.
    /// A line's bytes are valid until the next item is requested.
    /// </summary>
    internal static IEnumerable<(int Line, ReadOnlyMemory<byte> Bytes, string? Problem)> Lines(Stream stream, int maxRowBytes)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        var line = new byte[Math.Min(maxRowBytes, 1 << 16)];
        try
        {
            var lineNumber = 1;
            var length = 0;
            long overflow = 0;
            var first = true;
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                var start = 0;
                if (first)
                {
                    first = false;
                    if (read >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF)
                    {
                        start = 3;
                    }
                }

                while (start < read)
                {
                    var newline = Array.IndexOf(chunk, (byte)'\n', start, read - start);
                    var end = newline < 0 ? read : newline;
                    var count = end - start;
                    if (overflow == 0 && length + count <= maxRowBytes)
                    {
                        if (length + count > line.Length)
                        {
                            Array.Resize(ref line, (int)Math.Min(maxRowBytes, Math.Max((long)line.Length * 2, length + count)));
                        }

                        Array.Copy(chunk, start, line, length, count);
                        length += count;
                    }
                    else
                    {
                        overflow += overflow == 0 ? length + count : count;
                        length = 0;
                    }

                    if (newline < 0)
                    {
                        break;
                    }

                    var item = Finish(lineNumber, line, length, overflow, maxRowBytes);
                    if (item is { } it)
                    {
                        yield return it;
                    }

                    lineNumber++;
                    length = 0;
                    overflow = 0;
                    start = newline + 1;
                }
            }

            if (Finish(lineNumber, line, length, overflow, maxRowBytes) is { } last)
            {
                yield return last;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static (int, ReadOnlyMemory<byte>, string?)? Finish(int lineNumber, byte[] line, int length, long overflow, int maxRowBytes)
    {
        if (overflow > 0)
        {
            return (lineNumber, ReadOnlyMemory<byte>.Empty, string.Create(CultureInfo.InvariantCulture, $"row is {overflow:N0} bytes, over the {maxRowBytes:N0}-byte row limit (--max-row-bytes); skipped"));
        }

        var bytes = line.AsMemory(0, length);
        if (bytes.Span.Trim(" \t\r"u8).IsEmpty)
        {
            return null;
        }

        if (!Utf8.IsValid(bytes.Span))
        {
            return (lineNumber, ReadOnlyMemory<byte>.Empty, $"not valid UTF-8 (at byte {FirstInvalid(bytes.Span)} of the row)");
        }

        return (lineNumber, bytes, null);
    }

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length && System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset + 1;
    }
}
