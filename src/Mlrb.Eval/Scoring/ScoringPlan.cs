namespace Mlrb.Eval.Scoring;

/// <summary>
/// The harness's batching plan for token requests: left-truncated inputs, requests grouped when their input and continuation length
/// are equal (they differ at most in the final continuation token, so one forward pass serves them all), and a <see cref="PrefixNode"/>
/// tree over the untruncated inputs whose shared prefixes run once (a k-shot block, then each question under it).
/// </summary>
internal sealed class ScoringPlan
{
    private ScoringPlan(PrefixNode root, int itemCount, int requestCount)
    {
        Root = root;
        ItemCount = itemCount;
        RequestCount = requestCount;
    }

    /// <summary>The prefix tree: its root holds the inputs scored without a cached prefix.</summary>
    public PrefixNode Root { get; }

    /// <summary>Inputs scored without a cached prefix, longest first.</summary>
    public List<ScoringItem> Items => [.. Root.Items.OrderByDescending(i => i.Input.Length)];

    /// <summary>Unique model inputs.</summary>
    public int ItemCount { get; }

    public int RequestCount { get; }

    /// <summary>Plans the requests.</summary>
    /// <param name="requests">Token requests.</param>
    /// <param name="maxLength">Left-truncation length.</param>
    /// <param name="reusePrefixes">Run shared prefixes once and reuse their keys and values.</param>
    /// <param name="wholeSequenceAbove">Inputs longer than this are never split into a cached prefix and a continuation (LongRoPE).</param>
    /// <param name="nested">Share prefixes at every level; false shares only a whole context among its continuations.</param>
    /// <returns>The plan.</returns>
    public static ScoringPlan Create(
        IReadOnlyList<(int[] Context, int[] Continuation)> requests, int maxLength, bool reusePrefixes, int? wholeSequenceAbove = null, bool nested = true)
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

        return new ScoringPlan(PrefixTree.Build(order, reusePrefixes, nested), order.Count, requests.Count);
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

    /// <summary>
    /// How many leading input tokens may come from a cached prefix: the rows before the scored ones (the context minus its last
    /// token), or 0 when the input was truncated or must run whole.
    /// </summary>
    public int ShareableLength => UntruncatedContext is null ? 0 : Input.Length - ContinuationLength;
}
