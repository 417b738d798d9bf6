namespace Mlrb.Tasks.Loading.Documents;

/// <summary>A node of a parsed YAML or JSON task file, with the 1-based place it starts.</summary>
internal abstract class DocumentNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public abstract string KindName { get; }
}

/// <summary>A scalar: everything is kept as text and typed by the schema.</summary>
internal sealed class ScalarNode(string? value, int line, int column) : DocumentNode(line, column)
{
    /// <summary>The text, or <see langword="null"/> for YAML/JSON null.</summary>
    public string? Value { get; } = value;

    public override string KindName => Value is null ? "null" : "a scalar";
}

/// <summary>A list.</summary>
internal sealed class SequenceNode(IReadOnlyList<DocumentNode> items, int line, int column) : DocumentNode(line, column)
{
    public IReadOnlyList<DocumentNode> Items { get; } = items;

    public override string KindName => "a list";
}

/// <summary>A mapping with its keys in file order.</summary>
internal sealed class MappingNode(IReadOnlyList<MappingEntry> entries, int line, int column) : DocumentNode(line, column)
{
    public IReadOnlyList<MappingEntry> Entries { get; } = entries;

    public override string KindName => "a mapping";
}

/// <summary>One key of a mapping.</summary>
internal sealed record MappingEntry(string Key, int KeyLine, int KeyColumn, DocumentNode Value);
