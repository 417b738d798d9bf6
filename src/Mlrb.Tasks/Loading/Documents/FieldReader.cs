using System.Globalization;

namespace Mlrb.Tasks.Loading.Documents;

/// <summary>
/// Reads the fields of one mapping by name, turning every problem into a <see cref="TaskFileException"/>
/// that names the file, the line and the field. Call <see cref="RejectUnknownFields"/> when done.
/// </summary>
internal sealed class FieldReader
{
    private readonly MappingNode _map;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public FieldReader(DocumentNode node, string source, string path)
    {
        Source = source;
        Path = path;
        _map = node as MappingNode ?? throw Error(node, path, $"expected a mapping of fields, found {node.KindName}.");
    }

    public string Source { get; }

    public string Path { get; }

    public TaskFileException Error(DocumentNode node, string field, string problem) =>
        new(Source, node.Line, node.Column, field, problem);

    public string FieldPath(string key) => PathTracker.Child(Path, key);

    public DocumentNode? Optional(string key)
    {
        _known.Add(key);
        var entry = _map.Entries.FirstOrDefault(e => e.Key == key);
        return entry is null || entry.Value is ScalarNode { Value: null } ? null : entry.Value;
    }

    public DocumentNode Required(string key) => Optional(key) ?? throw Missing(key);

    public string RequiredString(string key)
    {
        var value = Text(Required(key), FieldPath(key));
        return string.IsNullOrWhiteSpace(value)
            ? throw Error(Required(key), FieldPath(key), "must not be empty.")
            : value;
    }

    public string? OptionalString(string key) => Optional(key) is { } node ? Text(node, FieldPath(key)) : null;

    public int? OptionalInt(string key, int minimum)
    {
        if (Optional(key) is not { } node)
        {
            return null;
        }

        var text = Text(node, FieldPath(key));
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            throw Error(node, FieldPath(key), $"expected a whole number of at least {minimum}, found '{text}'.");
        }

        return value;
    }

    public int RequiredInt(string key, int minimum) =>
        OptionalInt(key, minimum) ?? throw Missing(key);

    public long RequiredLong(string key, long minimum)
    {
        var node = Required(key);
        var text = Text(node, FieldPath(key));
        if (!long.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            throw Error(node, FieldPath(key), $"expected a whole number of at least {minimum}, found '{text}'.");
        }

        return value;
    }

    public IReadOnlyList<string> StringList(string key, bool required)
    {
        var node = required ? Required(key) : Optional(key);
        return node is null ? [] : Items(node, key, (item, path) => Text(item, path));
    }

    public IReadOnlyList<T> Items<T>(string key, bool required, Func<DocumentNode, string, T> read)
    {
        var node = required ? Required(key) : Optional(key);
        return node is null ? [] : Items(node, key, read);
    }

    public TEnum RequiredEnum<TEnum>(string key)
        where TEnum : struct, Enum
    {
        var node = Required(key);
        return ParseEnum<TEnum>(node, FieldPath(key));
    }

    public TEnum ParseEnum<TEnum>(DocumentNode node, string field)
        where TEnum : struct, Enum
    {
        var text = Text(node, field);
        var normalized = text.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (normalized.Length == 0 || !char.IsLetter(normalized[0]) || !normalized.All(char.IsLetterOrDigit) || !Enum.TryParse<TEnum>(normalized, ignoreCase: true, out var value))
        {
            var names = string.Join(", ", Enum.GetNames<TEnum>().Select(SchemaNames.ToSnakeCase));
            throw Error(node, field, $"'{text}' is not one of: {names}.");
        }

        return value;
    }

    public void RejectUnknownFields()
    {
        foreach (var entry in _map.Entries.Where(e => !_known.Contains(e.Key)))
        {
            var hint = SchemaNames.Closest(entry.Key, _known);
            var problem = hint is null
                ? $"unknown field. Known fields here: {string.Join(", ", _known)}."
                : $"unknown field; did you mean '{hint}'?";
            throw new TaskFileException(Source, entry.KeyLine, entry.KeyColumn, FieldPath(entry.Key), problem);
        }
    }

    private TaskFileException Missing(string key)
    {
        // A misspelt key is the likeliest cause of a missing field: point at the misspelling.
        var typo = _map.Entries.FirstOrDefault(e => !TaskSchema.All.Contains(e.Key) && SchemaNames.Closest(e.Key, [key]) is not null);
        return typo is null
            ? new TaskFileException(Source, _map.Line, _map.Column, FieldPath(key), "this required field is missing.")
            : new TaskFileException(Source, typo.KeyLine, typo.KeyColumn, FieldPath(typo.Key), $"unknown field; did you mean '{key}'?");
    }

    public string Text(DocumentNode node, string field) => node is ScalarNode { Value: { } text }
        ? text
        : throw Error(node, field, $"expected text, found {node.KindName}.");

    private IReadOnlyList<T> Items<T>(DocumentNode node, string key, Func<DocumentNode, string, T> read)
    {
        var path = FieldPath(key);
        if (node is not SequenceNode sequence)
        {
            throw Error(node, path, $"expected a list, found {node.KindName}.");
        }

        return [.. sequence.Items.Select((item, i) => read(item, PathTracker.Item(path, i)))];
    }
}
