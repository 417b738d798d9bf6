namespace Mlrb.Eval.Scoring;

/// <summary>
/// A node of the prefix tree: the first <see cref="Depth"/> tokens shared by every input below it. Its keys and values are computed
/// once (continuing its parent's), then its <see cref="Items"/> are scored from them and its <see cref="Children"/> extend them.
/// </summary>
/// <param name="depth">Shared tokens.</param>
/// <param name="source">An input whose first <paramref name="depth"/> tokens are the shared ones.</param>
internal sealed class PrefixNode(int depth, int[] source)
{
    /// <summary>Shared tokens (0 at the root, which has no cached prefix).</summary>
    public int Depth { get; } = depth;

    /// <summary>An input starting with the shared tokens.</summary>
    public int[] Source { get; } = source;

    /// <summary>Longer shared prefixes continuing this one.</summary>
    public List<PrefixNode> Children { get; } = [];

    /// <summary>Inputs scored from this node's keys and values (their rows after <see cref="Depth"/> run).</summary>
    public List<ScoringItem> Items { get; } = [];

    /// <summary>Every item in this subtree.</summary>
    public IEnumerable<ScoringItem> AllItems()
    {
        var stack = new Stack<PrefixNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            foreach (var item in node.Items)
            {
                yield return item;
            }

            foreach (var child in node.Children)
            {
                stack.Push(child);
            }
        }
    }
}
