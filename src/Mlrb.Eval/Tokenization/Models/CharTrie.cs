namespace Mlrb.Eval.Tokenization.Models;

/// <summary>A prefix tree of token strings over UTF-16 units, for common-prefix search (Unigram's lattice, WordPiece's longest match).</summary>
internal sealed class CharTrie
{
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<int> _values = [-1];

    /// <summary>Adds a token.</summary>
    /// <param name="token">The token (non-empty).</param>
    /// <param name="value">Its value (e.g. the id); the first value added for a string is kept.</param>
    public void Add(string token, int value)
    {
        var node = 0;
        foreach (var c in token)
        {
            var key = Key(node, c);
            if (!_edges.TryGetValue(key, out var child))
            {
                child = _values.Count;
                _values.Add(-1);
                _edges[key] = child;
            }

            node = child;
        }

        if (node != 0 && _values[node] < 0)
        {
            _values[node] = value;
        }
    }

    /// <summary>Follows one unit from a node.</summary>
    /// <param name="node">The node (0 is the root).</param>
    /// <param name="c">The unit.</param>
    /// <returns>The child, or -1.</returns>
    public int Step(int node, char c) => _edges.TryGetValue(Key(node, c), out var child) ? child : -1;

    /// <summary>The value stored at a node, or -1 when no token ends there.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The value.</returns>
    public int ValueAt(int node) => _values[node];

    private static long Key(int node, char c) => ((long)node << 16) | c;
}
