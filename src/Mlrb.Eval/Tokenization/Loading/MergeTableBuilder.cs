using Mlrb.Eval.Tokenization.Bpe;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>Turns merges (pairs of token strings, in rank order) into the id-pair table of <see cref="BpeModel"/>.</summary>
internal sealed class MergeTableBuilder
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _prefixLength;
    private readonly string _file;
    private readonly string _field;

    /// <summary>Creates the builder.</summary>
    /// <param name="vocab">The vocabulary.</param>
    /// <param name="continuingSubwordPrefix">Stripped from the right token before concatenation, or null.</param>
    /// <param name="file">The file name used in messages.</param>
    /// <param name="field">The field name used in messages.</param>
    public MergeTableBuilder(Dictionary<string, int> vocab, string? continuingSubwordPrefix, string file, string field)
    {
        _lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixLength = continuingSubwordPrefix?.Length ?? 0;
        _file = file;
        _field = field;
    }

    /// <summary>The table built so far.</summary>
    public Dictionary<long, long> Merges { get; } = PairKeyComparer.CreateTable();

    /// <summary>Adds a merge given as one line, <c>"a b"</c>.</summary>
    /// <param name="line">The line.</param>
    /// <param name="rank">Its rank.</param>
    public void AddLine(string line, int rank)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
        {
            throw new TokenizerLoadException(_file, $"{_field}[{rank}]", $"expected two tokens separated by one space, found '{line}'");
        }

        Add(line.AsSpan(0, space), line.AsSpan(space + 1), rank);
    }

    /// <summary>Adds a merge of two tokens.</summary>
    /// <param name="left">The left token.</param>
    /// <param name="right">The right token.</param>
    /// <param name="rank">Its rank.</param>
    public void Add(ReadOnlySpan<char> left, ReadOnlySpan<char> right, int rank)
    {
        var leftId = Find(left, rank);
        var rightId = Find(right, rank);
        var tail = right[Math.Min(_prefixLength, right.Length)..];
        var length = left.Length + tail.Length;
        Span<char> buffer = length <= 256 ? stackalloc char[length] : new char[length];
        left.CopyTo(buffer);
        tail.CopyTo(buffer[left.Length..]);
        var newId = Find(buffer, rank);
        Merges.TryAdd(BpeModel.PairKey(leftId, rightId), BpeModel.MergeValue(rank, newId));
    }

    private int Find(ReadOnlySpan<char> token, int rank)
        => _lookup.TryGetValue(token, out var id) ? id
            : throw new TokenizerLoadException(_file, $"{_field}[{rank}]", $"token '{token}' is not in the vocabulary");
}
