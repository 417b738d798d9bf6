using System.Text;
using System.Text.Json;

namespace Mlrb.Tasks.Loading.Documents;

/// <summary>Reads a JSON task file into <see cref="DocumentNode"/>s, keeping every node's line and column.</summary>
internal static class JsonTreeReader
{
    public static DocumentNode Read(string text, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = LineStarts(bytes);
        var path = new PathTracker();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read())
            {
                throw new TaskFileException(source, 1, 1, "(document)", "the file is empty; a task file holds one object of task fields.");
            }

            var root = ReadNode(ref reader, path, source, lineStarts);
            if (reader.Read())
            {
                var (line, column) = Place(lineStarts, reader.TokenStartIndex);
                throw new TaskFileException(source, line, column, "(document)", "unexpected content after the task object.");
            }

            return root;
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            var message = ex.Message;
            var where = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new TaskFileException(source, line, column, path.Current, "invalid JSON: " + (where > 0 ? message[..where] : message), ex);
        }
    }

    private static DocumentNode ReadNode(ref Utf8JsonReader reader, PathTracker path, string source, List<long> lineStarts)
    {
        var (line, column) = Place(lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    var entries = new List<MappingEntry>();
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var key = reader.GetString()!;
                        var (keyLine, keyColumn) = Place(lineStarts, reader.TokenStartIndex);
                        path.PushKey(key);
                        if (!seen.Add(key))
                        {
                            throw new TaskFileException(source, keyLine, keyColumn, path.Current, "the field appears twice in the same object.");
                        }

                        reader.Read();
                        entries.Add(new MappingEntry(key, keyLine, keyColumn, ReadNode(ref reader, path, source, lineStarts)));
                        path.Pop();
                    }

                    return new MappingNode(entries, line, column);
                }

            case JsonTokenType.StartArray:
                {
                    var items = new List<DocumentNode>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        path.PushIndex(items.Count);
                        items.Add(ReadNode(ref reader, path, source, lineStarts));
                        path.Pop();
                    }

                    return new SequenceNode(items, line, column);
                }

            case JsonTokenType.String:
                return new ScalarNode(reader.GetString(), line, column);
            case JsonTokenType.Null:
                return new ScalarNode(null, line, column);
            default:
                // Numbers and booleans keep their source text; the schema decides their type.
                return new ScalarNode(Encoding.UTF8.GetString(reader.ValueSpan), line, column);
        }
    }

    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static (int Line, int Column) Place(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return (index + 1, (int)(offset - lineStarts[index]) + 1);
    }
}
