namespace Mlrb.Eval.Scoring;

/// <summary>
/// The harness's batching plan for token requests: left-truncated inputs, requests grouped when their input and continuation length
/// are equal (they differ at most in the final continuation token, so one forward pass serves them all), and unique inputs that share
/// an untruncated context grouped for KV-prefix reuse. Work is ordered longest first.
/// </summary>
internal sealed class ScoringPlan
{
    private ScoringPlan(List<ScoringItem> items, List<PrefixGroup> prefixGroups, int requestCount)
    {
        Items = items;
        PrefixGroups = prefixGroups;
        RequestCount = requestCount;
    }

    /// <summary>Unique (input, continuation length) pairs not served by a prefix group, longest first.</summary>
    public List<ScoringItem> Items { get; }

    /// <summary>Groups of unique inputs that share a cached prefix, longest first.</summary>
    public List<PrefixGroup> PrefixGroups { get; }

    public int RequestCount { get; }

    /// <summary>Plans the requests.</summary>
    /// <param name="requests">Token requests.</param>
    /// <param name="maxLength">Left-truncation length.</param>
    /// <param name="reusePrefixes">Group inputs that share a context for KV-prefix reuse.</param>
    /// <param name="wholeSequenceAbove">Inputs longer than this are never split into a cached prefix and a continuation (LongRoPE).</param>
    /// <returns>The plan.</returns>
    public static ScoringPlan Create(IReadOnlyList<(int[] Context, int[] Continuation)> requests, int maxLength, bool reusePrefixes, int? wholeSequenceAbove = null)
    {
        var unique = new Dictionary<ItemKey, ScoringItem>();
        var order = new List<ScoringItem>();
        for (var i = 0; i < requests.Count; i++)
        {
            var (ctx, cont) = requests[i];
            var total = ctx.Length + cont.Length;
            var start = Math.Max(0, total - (maxLength + 1));
            var input = new int[total - start - 1];
            for (var j = 0; j < input.Length; j++)
            {
                var at = start + j;
                input[j] = at < ctx.Length ? ctx[at] : cont[at - ctx.Length];
            }

            var key = new ItemKey(input, cont.Length);
            if (!unique.TryGetValue(key, out var item))
            {
                var splittable = start == 0 && (wholeSequenceAbove is null || input.Length <= wholeSequenceAbove);
                item = new ScoringItem(input, cont.Length, splittable ? ctx : null);
                unique.Add(key, item);
                order.Add(item);
            }

            item.Members.Add((i, cont));
        }

        var groups = new List<PrefixGroup>();
        var rest = new List<ScoringItem>();
        if (reusePrefixes)
        {
            foreach (var byContext in order.GroupBy(it => it.UntruncatedContext is { Length: >= 2 } c ? new ItemKey(c, 0) : null))
            {
                var members = byContext.ToList();
                if (byContext.Key is null || members.Count < 2)
                {
                    rest.AddRange(members);
                    continue;
                }

                var prefixLength = byContext.Key.Tokens.Length - 1;
                groups.Add(new PrefixGroup(byContext.Key.Tokens[..prefixLength], members));
            }
        }
        else
        {
            rest.AddRange(order);
        }

        rest.Sort((a, b) => b.Input.Length.CompareTo(a.Input.Length));
        groups.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
        return new ScoringPlan(rest, groups, requests.Count);
    }

    /// <summary>An int sequence (plus a length tag) compared by value.</summary>
    private sealed class ItemKey(int[] tokens, int tag) : IEquatable<ItemKey>
    {
        private readonly int _hash = ComputeHash(tokens, tag);

        public int[] Tokens { get; } = tokens;

        public bool Equals(ItemKey? other)
            => other is not null && other._hash == _hash && other.Tokens.Length == Tokens.Length && tag == other.Tag && other.Tokens.AsSpan().SequenceEqual(Tokens);

        public override bool Equals(object? obj) => Equals(obj as ItemKey);

        public override int GetHashCode() => _hash;

        private int Tag => tag;

        private static int ComputeHash(int[] tokens, int tag)
        {
            var h = new HashCode();
            h.Add(tag);
            foreach (var t in tokens)
            {
                h.Add(t);
            }

            return h.ToHashCode();
        }
    }
}

/// <summary>One unique model input and the requests it scores.</summary>
/// <param name="Input">The model input <c>(ctx + cont)[-(L+1):][:-1]</c>.</param>
/// <param name="ContinuationLength">Scored positions: the last this many rows.</param>
/// <param name="UntruncatedContext">The context when nothing was truncated (prefix reuse is allowed), else null.</param>
internal sealed record ScoringItem(int[] Input, int ContinuationLength, int[]? UntruncatedContext)
{
    /// <summary>(request index, continuation ids) served by this input.</summary>
    public List<(int Index, int[] Continuation)> Members { get; } = [];
}

/// <summary>Unique inputs that start with the same <paramref name="Prefix"/> (the shared context minus its last token).</summary>
internal sealed record PrefixGroup(int[] Prefix, List<ScoringItem> Items);
