using Mlrb.Eval.Inference;
using Mlrb.Eval.Models;
using Mlrb.Eval.Telemetry;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Scoring;

/// <summary>
/// Scores requests on a <see cref="DecoderModel"/> exactly as lm-evaluation-harness's <c>HFLM._loglikelihood_tokens</c> does:
/// left truncation to <see cref="MaxLength"/>, log-softmax over the full output width, the sum over the continuation and
/// the greedy check. A <see cref="ScoringPlan"/> and the <see cref="PrefixScheduler"/> pack the work into forward passes.
/// </summary>
internal sealed class LogLikelihoodScorer : ILogLikelihoodScorer, IDisposable
{
    private const long LogitChunkFloats = 8L << 20;
    private readonly DecoderModel _model;
    private readonly string _directory;
    private readonly ModelScorerOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ITokenizer? _tokenizer;

    public LogLikelihoodScorer(DecoderModel model, string directory, ModelScorerOptions options)
    {
        _model = model;
        _directory = directory;
        _options = options;
        _tokenizer = options.Tokenizer;
        MaxLength = options.MaxLength ?? model.Config.MaxLength;
        if (MaxLength <= 0 || (MaxLength > model.Config.PositionCount))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxLength {MaxLength} must be in [1, {model.Config.PositionCount}] for this model.");
        }
    }

    public int MaxLength { get; }

    internal DecoderModel Model => _model;

    public async Task<IReadOnlyList<LogLikelihoodResult>> ScoreAsync(
        IReadOnlyList<LogLikelihoodRequest> requests, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var tokenizer = _tokenizer ??= TokenizerLoader.Load(_directory);
        var prefix = _options.PrefixTokenId ?? tokenizer.BosTokenId ?? tokenizer.EosTokenId ?? _model.Config.BosTokenId ?? _model.Config.EosTokenId
            ?? throw new InvalidOperationException($"{_directory}: neither the tokenizer nor config.json names a BOS or EOS token to use as the context of an empty-context request; set ModelScorerOptions.PrefixTokenId.");
        var encoded = new (int[] Context, int[] Continuation)[requests.Count];
        using (var activity = EvalTelemetry.Start("tokenize"))
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var i = 0; i < requests.Count; i++)
            {
                encoded[i] = RequestEncoder.Encode(tokenizer, prefix, requests[i], i);
            }

            EvalTelemetry.Record(activity, "tokenize", encoded.Sum(e => (long)e.Context.Length + e.Continuation.Length), requests.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }

        return await RunAsync(encoded, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LogLikelihoodResult>> ScoreTokensAsync(
        IReadOnlyList<TokenLogLikelihoodRequest> requests, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var encoded = new (int[] Context, int[] Continuation)[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i] ?? throw new ArgumentException($"request {i} is null.", nameof(requests));
            encoded[i] = (r.Context?.ToArray() ?? [], r.Continuation?.ToArray() ?? []);
        }

        return await RunAsync(encoded, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<LogLikelihoodResult>> RunAsync(
        (int[] Context, int[] Continuation)[] requests, IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
    {
        Validate(requests);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Run(requests, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Validate((int[] Context, int[] Continuation)[] requests)
    {
        var vocabulary = _model.Config.VocabularySize;
        for (var i = 0; i < requests.Length; i++)
        {
            var (ctx, cont) = requests[i];
            if (ctx.Length == 0)
            {
                throw new ArgumentException($"request {i}: the context is empty; pass the BOS (or EOS) id as the context of an empty-context request.", nameof(requests));
            }

            if (cont.Length == 0)
            {
                throw new ArgumentException($"request {i}: the continuation is empty; a log-likelihood request needs at least one continuation token.", nameof(requests));
            }

            if (cont.Length > MaxLength)
            {
                throw new ArgumentException($"request {i}: the continuation has {cont.Length} tokens, more than the model's max length {MaxLength}.", nameof(requests));
            }

            foreach (var id in ctx.Concat(cont))
            {
                if ((uint)id >= (uint)vocabulary)
                {
                    throw new ArgumentException($"request {i}: token id {id} is outside the model's vocabulary [0, {vocabulary}).", nameof(requests));
                }
            }
        }
    }

    private LogLikelihoodResult[] Run((int[] Context, int[] Continuation)[] requests, IProgress<ScoringProgress>? progress, CancellationToken ct)
    {
        var plan = ScoringPlan.Create(requests, MaxLength, _options.ReusePrefixes, _model.WholeSequenceAbove, _options.NestPrefixes);
        var results = new LogLikelihoodResult[requests.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Threads ?? Environment.ProcessorCount, CancellationToken = ct };
        var tracker = new ProgressTracker(requests.Length, progress);
        var scheduler = new PrefixScheduler(_model, _options, parallel, (items, prefixes) => RunItems(items, prefixes, requests, results, parallel, tracker, ct), tracker.AddTokens);
        scheduler.Run(plan.Root);
        return results;
    }

    /// <summary>One forward pass over <paramref name="items"/> (each continuing its cached prefix when given), then the gather.</summary>
    private void RunItems(
        List<ScoringItem> items, KvCache?[] prefixes, (int[] Context, int[] Continuation)[] requests, LogLikelihoodResult[] results,
        ParallelOptions parallel, ProgressTracker tracker, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var starts = new int[items.Count + 1];
        var tokens = new List<int>();
        var outputRows = new List<int>();
        for (var s = 0; s < items.Count; s++)
        {
            var skip = prefixes[s]?.Length ?? 0;
            tokens.AddRange(items[s].Input.AsSpan(skip).ToArray());
            starts[s + 1] = tokens.Count;
            for (var j = starts[s + 1] - items[s].ContinuationLength; j < starts[s + 1]; j++)
            {
                outputRows.Add(j);
            }
        }

        var hidden = _model.Forward(new ForwardBatch(tokens.ToArray(), starts, outputRows.ToArray(), prefixes), parallel);

        // The targets each output row is asked about (one per member sharing the row).
        var rowCount = outputRows.Count;
        var targets = new List<int>[rowCount];
        var rowBase = 0;
        foreach (var item in items)
        {
            foreach (var (_, cont) in item.Members)
            {
                for (var j = 0; j < cont.Length; j++)
                {
                    (targets[rowBase + j] ??= []).Add(cont[j]);
                }
            }

            rowBase += item.ContinuationLength;
        }

        // The LM head runs in chunks of rows so the logits never exceed LogitChunkFloats.
        var width = _model.OutputWidth;
        var chunkRows = (int)Math.Clamp(_options.LogitChunkRows ?? (LogitChunkFloats / width), 1, Math.Max(1, rowCount));
        var logSumExp = new double[rowCount];
        var argMax = new int[rowCount];
        var gathered = new float[rowCount][];
        for (var first = 0; first < rowCount; first += chunkRows)
        {
            var n = Math.Min(chunkRows, rowCount - first);
            var scores = _model.ScoreRows(hidden, first, n, targets[first..(first + n)]);
            scores.LogSumExp.CopyTo(logSumExp, first);
            scores.ArgMax.CopyTo(argMax, first);
            scores.TargetLogits.CopyTo(gathered, first);
        }

        rowBase = 0;
        var completed = 0;
        foreach (var item in items)
        {
            foreach (var (index, cont) in item.Members)
            {
                double ll = 0;
                var greedy = true;
                for (var j = 0; j < cont.Length; j++)
                {
                    var r = rowBase + j;
                    ll += gathered[r][targets[r].IndexOf(cont[j])] - logSumExp[r];
                    greedy &= argMax[r] == cont[j];
                }

                results[index] = new LogLikelihoodResult(ll, greedy, requests[index].Context.Length, cont.Length);
                completed++;
            }

            rowBase += item.ContinuationLength;
        }

        tracker.Report(completed, tokens.Count);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class ProgressTracker(int total, IProgress<ScoringProgress>? progress)
    {
        private int _completed;
        private long _tokens;

        public void AddTokens(int tokens) => _tokens += tokens;

        public void Report(int completed, int tokens)
        {
            _completed += completed;
            _tokens += tokens;
            progress?.Report(new ScoringProgress(_completed, total, _tokens));
        }
    }
}
