using Mlrb.Eval.Inference;
using Mlrb.Eval.Models;

namespace Mlrb.Eval.Scoring;

/// <summary>
/// Runs a <see cref="PrefixNode"/> tree level by level: the children of the nodes in hand are extended together in packed forward
/// passes (each new cache starts as a copy of its parent's keys and values, then stores its own tokens), then every input under
/// those nodes is scored from its node's cache, packed likewise. Cached keys and values alive at once stay under
/// <see cref="ModelScorerOptions.PrefixCacheBytes"/>: a node that would exceed it is not cached, and its inputs are scored from its
/// parent's cache instead (fewer tokens shared, same numbers).
/// </summary>
internal sealed class PrefixScheduler
{
    /// <summary>Nesting beyond this is scored from the deepest cache (keeps recursion shallow on adversarial inputs).</summary>
    private const int MaxNesting = 64;

    private readonly DecoderModel _model;
    private readonly ModelScorerOptions _options;
    private readonly ParallelOptions _parallel;
    private readonly Action<List<ScoringItem>, KvCache?[]> _score;
    private readonly Action<int> _computedPrefixTokens;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Batch limits and the cache budget.</param>
    /// <param name="parallel">Threads and cancellation.</param>
    /// <param name="score">Scores items in one forward pass, each continuing its cache (or none).</param>
    /// <param name="computedPrefixTokens">Told how many prefix tokens each extending pass ran.</param>
    public PrefixScheduler(DecoderModel model, ModelScorerOptions options, ParallelOptions parallel, Action<List<ScoringItem>, KvCache?[]> score, Action<int> computedPrefixTokens)
    {
        _model = model;
        _options = options;
        _parallel = parallel;
        _score = score;
        _computedPrefixTokens = computedPrefixTokens;
    }

    /// <summary>Bytes of one cached token's keys and values.</summary>
    public long BytesPerToken => 2L * _model.Config.LayerCount * _model.Config.KeyValueHeadCount * _model.Config.HeadDimension * sizeof(float);

    /// <summary>Most cache bytes alive at once during the last <see cref="Run"/>.</summary>
    public long PeakCacheBytes { get; private set; }

    /// <summary>Scores every input of the tree.</summary>
    public void Run(PrefixNode root) => Visit([(root, null)], 0, 0);

    private void Visit(List<(PrefixNode Node, KvCache? Cache)> level, long liveBytes, int nesting)
    {
        var items = new List<(ScoringItem Item, KvCache? Cache)>();
        var children = new List<(PrefixNode Node, KvCache? Parent)>();
        foreach (var (node, cache) in level)
        {
            items.AddRange(node.Items.Select(i => (i, cache)));
            foreach (var child in node.Children)
            {
                if (nesting >= MaxNesting || liveBytes + (BytesPerToken * child.Depth) > _options.PrefixCacheBytes)
                {
                    items.AddRange(child.AllItems().Select(i => (i, cache)));
                }
                else
                {
                    children.Add((child, cache));
                }
            }
        }

        ScoreItems(items);
        children.Sort((a, b) => (b.Node.Depth - (b.Parent?.Length ?? 0)).CompareTo(a.Node.Depth - (a.Parent?.Length ?? 0)));
        var batch = new List<(PrefixNode Node, KvCache? Parent)>();
        long tokens = 0, bytes = 0;
        foreach (var child in children)
        {
            var edge = child.Node.Depth - (child.Parent?.Length ?? 0);
            var size = BytesPerToken * child.Node.Depth;
            if (batch.Count > 0 && (tokens + edge > _options.MaxBatchTokens || batch.Count >= _options.MaxBatchSequences || liveBytes + bytes + size > _options.PrefixCacheBytes))
            {
                Extend(batch, liveBytes + bytes, nesting);
                batch.Clear();
                tokens = bytes = 0;
            }

            batch.Add(child);
            tokens += edge;
            bytes += size;
        }

        if (batch.Count > 0)
        {
            Extend(batch, liveBytes + bytes, nesting);
        }
    }

    /// <summary>Computes the nodes' caches in one pass, then visits them; the caches are dropped when their subtrees are done.</summary>
    private void Extend(List<(PrefixNode Node, KvCache? Parent)> nodes, long liveBytes, int nesting)
    {
        _parallel.CancellationToken.ThrowIfCancellationRequested();
        PeakCacheBytes = Math.Max(PeakCacheBytes, liveBytes);
        var caches = new KvCache?[nodes.Count];
        var parents = new KvCache?[nodes.Count];
        var starts = new int[nodes.Count + 1];
        var tokens = new List<int>();
        for (var s = 0; s < nodes.Count; s++)
        {
            var (node, parent) = nodes[s];
            var cache = _model.CreateKvCache(node.Depth);
            if (parent is not null)
            {
                var used = (long)parent.Length * parent.KvDim;
                for (var l = 0; l < parent.Keys.Length; l++)
                {
                    _model.Backend.Copy(parent.Keys[l], cache.Keys[l], used);
                    _model.Backend.Copy(parent.Values[l], cache.Values[l], used);
                }
            }

            caches[s] = cache;
            parents[s] = parent;
            tokens.AddRange(node.Source.AsSpan(parent?.Length ?? 0, node.Depth - (parent?.Length ?? 0)).ToArray());
            starts[s + 1] = tokens.Count;
        }

        _model.Forward(new ForwardBatch([.. tokens], starts, [], parents, caches), _parallel);
        _computedPrefixTokens(tokens.Count);
        var next = new List<(PrefixNode Node, KvCache? Cache)>(nodes.Count);
        for (var s = 0; s < nodes.Count; s++)
        {
            next.Add((nodes[s].Node, caches[s]));
        }

        Visit(next, liveBytes, nesting + 1);
    }

    /// <summary>Scores items in packed passes, longest remaining input first.</summary>
    private void ScoreItems(List<(ScoringItem Item, KvCache? Cache)> items)
    {
        items.Sort((a, b) => Remaining(b).CompareTo(Remaining(a)));
        var batch = new List<ScoringItem>();
        var caches = new List<KvCache?>();
        int tokens = 0, rows = 0;
        foreach (var (item, cache) in items)
        {
            var n = item.Input.Length - (cache?.Length ?? 0);
            if (batch.Count > 0 && (tokens + n > _options.MaxBatchTokens || batch.Count >= _options.MaxBatchSequences || rows + item.ContinuationLength > _options.MaxBatchTokens))
            {
                _score(batch, [.. caches]);
                batch.Clear();
                caches.Clear();
                tokens = rows = 0;
            }

            batch.Add(item);
            caches.Add(cache);
            tokens += n;
            rows += item.ContinuationLength;
        }

        if (batch.Count > 0)
        {
            _score(batch, [.. caches]);
        }
    }

    private static int Remaining((ScoringItem Item, KvCache? Cache) x) => x.Item.Input.Length - (x.Cache?.Length ?? 0);
}
