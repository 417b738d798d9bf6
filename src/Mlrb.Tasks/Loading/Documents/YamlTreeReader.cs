using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mlrb.Tasks.Loading.Documents;

/// <summary>Reads a YAML task file into <see cref="DocumentNode"/>s, keeping every node's line and column.</summary>
internal static class YamlTreeReader
{
    /// <summary>Deepest nesting of sequences and mappings accepted (a task file needs about 6).</summary>
    public const int MaxDepth = 64;

    public static DocumentNode Read(string text, string source)
    {
        var path = new PathTracker();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                throw new TaskFileException(source, 1, 1, "(document)", "the file is empty; a task file holds one mapping of task fields.");
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, path, source, 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current!;
                throw new TaskFileException(source, (int)next.Start.Line, (int)next.Start.Column, "(document)", "the file holds more than one YAML document; put one task in each file.");
            }

            return root;
        }
        catch (YamlException ex)
        {
            throw new TaskFileException(source, (int)ex.Start.Line, (int)ex.Start.Column, path.Current, "invalid YAML: " + ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner can fail this way on an unclosed flow collection; report the last place it reached.
            var mark = parser.Current?.Start ?? Mark.Empty;
            throw new TaskFileException(source, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), path.Current, "invalid YAML: an unclosed '[', '{' or quote?", ex);
        }
    }

    private static DocumentNode ReadNode(IParser parser, PathTracker path, string source, int depth)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of input");
        int line = (int)current.Start.Line, column = (int)current.Start.Column;
        if (depth > MaxDepth)
        {
            throw new TaskFileException(source, line, column, "(document)", $"nested more than {MaxDepth} levels deep; a task file is a few levels of fields and lists.");
        }

        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new ScalarNode(IsNull(scalar) ? null : scalar.Value, line, column);
            case SequenceStart:
                {
                    parser.MoveNext();
                    var items = new List<DocumentNode>();
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        path.PushIndex(items.Count);
                        items.Add(ReadNode(parser, path, source, depth + 1));
                        path.Pop();
                    }

                    return new SequenceNode(items, line, column);
                }

            case MappingStart:
                {
                    parser.MoveNext();
                    var entries = new List<MappingEntry>();
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var keyEvent = parser.Current;
                        if (keyEvent is not Scalar key)
                        {
                            throw new TaskFileException(source, (int)keyEvent!.Start.Line, (int)keyEvent.Start.Column, path.Current, "a mapping key must be a plain name.");
                        }

                        parser.MoveNext();
                        path.PushKey(key.Value);
                        if (!seen.Add(key.Value))
                        {
                            throw new TaskFileException(source, (int)key.Start.Line, (int)key.Start.Column, path.Current, "the field appears twice in the same mapping.");
                        }

                        var value = ReadNode(parser, path, source, depth + 1);
                        entries.Add(new MappingEntry(key.Value, (int)key.Start.Line, (int)key.Start.Column, value));
                        path.Pop();
                    }

                    return new MappingNode(entries, line, column);
                }

            case AnchorAlias:
                throw new TaskFileException(source, line, column, path.Current, "YAML aliases (*name) are not supported in task files; write the value out.");
            default:
                throw new TaskFileException(source, line, column, path.Current, $"unexpected YAML element {current.GetType().Name}.");
        }
    }

    private static bool IsNull(Scalar scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
}
