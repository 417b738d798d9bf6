namespace Mlrb.Eval.Scoring;

/// <summary>
/// Builds the <see cref="PrefixNode"/> tree: inputs are split by their next token, and a group of inputs that agree beyond that
/// point becomes a node at their longest common prefix (a compressed trie). A node is made only where sharing pays: the tokens it
/// saves, (inputs − 1) × its own tokens, must outweigh copying its parent's keys and values (about <see cref="CopyTokensPerToken"/>
/// cached tokens copy in the time one token computes). Inputs that were truncated (or must run whole) are never shared.
/// </summary>
internal static class PrefixTree
{
    /// <summary>Cached tokens copied per computed token saved, at the break-even point.</summary>
    internal const int CopyTokensPerToken = 64;

    /// <summary>Builds the tree.</summary>
    /// <param name="items">Unique inputs.</param>
    /// <param name="reuse">Share prefixes at all; false puts every input at the root.</param>
    /// <param name="nested">
    /// Share at every level; false reproduces the single-level scheduler: only inputs with the same shareable rows (the choices of one
    /// question) form a node, directly under the root.
    /// </param>
    /// <returns>The root.</returns>
    public static PrefixNode Build(IReadOnlyList<ScoringItem> items, bool reuse, bool nested)
    {
        var root = new PrefixNode(0, []);
        var shared = new List<ScoringItem>();
        foreach (var item in items)
        {
            (reuse && item.ShareableLength > 0 ? shared : root.Items).Add(item);
        }

        if (!nested)
        {
            GroupIdentical(root, shared);
            return root;
        }

        var work = new Stack<(PrefixNode Owner, List<ScoringItem> Items, int Depth)>();
        work.Push((root, shared, 0));
        while (work.Count > 0)
        {
            var (owner, group, depth) = work.Pop();
            var byToken = new Dictionary<int, List<ScoringItem>>();
            foreach (var item in group)
            {
                if (item.ShareableLength == depth)
                {
                    owner.Items.Add(item);
                }
                else if (byToken.TryGetValue(item.Input[depth], out var list))
                {
                    list.Add(item);
                }
                else
                {
                    byToken.Add(item.Input[depth], [item]);
                }
            }

            foreach (var members in byToken.Values)
            {
                if (members.Count == 1)
                {
                    owner.Items.Add(members[0]);
                    continue;
                }

                var common = CommonLength(members, depth + 1);
                if ((long)(members.Count - 1) * (common - owner.Depth) * CopyTokensPerToken >= owner.Depth)
                {
                    var child = new PrefixNode(common, members[0].Input);
                    owner.Children.Add(child);
                    work.Push((child, members, common));
                }
                else
                {
                    work.Push((owner, members, common));
                }
            }
        }

        return root;
    }

    /// <summary>The single-level plan: inputs with identical shareable rows (two or more) form a node under the root.</summary>
    private static void GroupIdentical(PrefixNode root, List<ScoringItem> shared)
    {
        var sorted = shared.OrderBy(i => i, SharedRowsComparer.Instance).ToList();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i + 1;
            while (j < sorted.Count && SharedRowsComparer.Instance.Compare(sorted[i], sorted[j]) == 0)
            {
                j++;
            }

            if (j - i == 1)
            {
                root.Items.Add(sorted[i]);
            }
            else
            {
                var node = new PrefixNode(sorted[i].ShareableLength, sorted[i].Input);
                node.Items.AddRange(sorted.GetRange(i, j - i));
                root.Children.Add(node);
            }

            i = j;
        }
    }

    /// <summary>The longest prefix every member shares, given that they agree on the first <paramref name="from"/> tokens.</summary>
    private static int CommonLength(List<ScoringItem> members, int from)
    {
        var first = members[0].Input;
        var length = members.Min(m => m.ShareableLength);
        foreach (var m in members)
        {
            var n = from;
            while (n < length && m.Input[n] == first[n])
            {
                n++;
            }

            length = n;
        }

        return length;
    }

    /// <summary>Orders inputs by their shareable rows, lexicographically.</summary>
    private sealed class SharedRowsComparer : IComparer<ScoringItem>
    {
        public static readonly SharedRowsComparer Instance = new();

        public int Compare(ScoringItem? x, ScoringItem? y)
            => x!.Input.AsSpan(0, x.ShareableLength).SequenceCompareTo(y!.Input.AsSpan(0, y.ShareableLength));
    }
}
