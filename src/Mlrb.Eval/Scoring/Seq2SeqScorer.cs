using System.Text.Json;
using Mlrb.Eval.Models.T5;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Scoring;

/// <summary>
/// Scores requests on an encoder-decoder model as lm-evaluation-harness's <c>HFLM</c> does for <c>AutoModelForSeq2SeqLM</c> (v0.4.x HEAD,
/// <c>TemplateLM._encode_pair</c> and <c>HFLM._loglikelihood_tokens</c>): the context's trailing whitespace moves to the continuation; the
/// context is encoded with the tokenizer's default special tokens (T5 appends <c>&lt;/s&gt;</c>) and the continuation separately without
/// them; an empty context is <c>[prefix_token_id]</c> (BOS, else EOS). The encoder reads the last <see cref="MaxLength"/> context tokens;
/// the labels are the last <see cref="MaxLength"/> continuation tokens, fed to the decoder after <c>decoder_start_token_id</c> and shifted
/// right. The log-likelihood is the sum of the labels' log-softmax values; greedy means every label is the argmax.
/// </summary>
internal sealed class Seq2SeqScorer : ILogLikelihoodScorer, IDisposable
{
    private const double TokenizerInfinity = 1e30;
    private readonly T5Model _model;
    private readonly string _directory;
    private readonly ModelScorerOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ITokenizer? _tokenizer;

    public Seq2SeqScorer(T5Model model, string directory, ModelScorerOptions options)
    {
        _model = model;
        _directory = directory;
        _options = options;
        _tokenizer = options.Tokenizer;
        MaxLength = options.MaxLength ?? model.Config.HarnessMaxLength ?? TokenizerMaxLength(directory) ?? 2048;
        if (MaxLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxLength {MaxLength} must be positive.");
        }
    }

    public int MaxLength { get; }

    public void Dispose() => _gate.Dispose();

    public async Task<IReadOnlyList<LogLikelihoodResult>> ScoreAsync(
        IReadOnlyList<LogLikelihoodRequest> requests, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var tokenizer = _tokenizer ??= TokenizerLoader.Load(_directory);
        var prefix = _options.PrefixTokenId ?? tokenizer.BosTokenId ?? tokenizer.EosTokenId ?? _model.Config.EosTokenId
            ?? throw new InvalidOperationException($"{_directory}: neither the tokenizer nor config.json names a BOS or EOS token to use as the context of an empty-context request; set ModelScorerOptions.PrefixTokenId.");
        var encoded = new (int[] Context, int[] Continuation)[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            encoded[i] = Encode(tokenizer, prefix, requests[i] ?? throw new ArgumentException($"request {i} is null.", nameof(requests)), i);
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

    /// <summary>The harness's seq2seq encoding of one text request.</summary>
    internal static (int[] Context, int[] Continuation) Encode(ITokenizer tokenizer, int prefixTokenId, LogLikelihoodRequest request, int index)
    {
        if (string.IsNullOrEmpty(request.Continuation))
        {
            throw new ArgumentException($"request {index}: the continuation is empty; a log-likelihood request needs at least one continuation token.", nameof(request));
        }

        var context = request.Context ?? string.Empty;
        var continuation = request.Continuation;
        int[] contextIds;
        if (context.Length == 0)
        {
            contextIds = [prefixTokenId];
        }
        else
        {
            var end = context.Length;
            while (end > 0 && RequestEncoder.IsPythonWhitespace(context[end - 1]))
            {
                end--;
            }

            continuation = string.Concat(context.AsSpan(end), continuation);
            context = context[..end];

            // tok_encode: the tokenizer's default special tokens, except for a string that already starts with the prefix token's text.
            var prefixText = tokenizer.Decode([prefixTokenId]);
            var add = prefixText.Length == 0 || !context.StartsWith(prefixText, StringComparison.Ordinal);
            contextIds = tokenizer.Encode(context, add).ToArray();
        }

        var continuationIds = tokenizer.Encode(continuation, addSpecialTokens: false).ToArray();
        if (request.Context is null or "" && continuationIds.Length > 1 && continuationIds[0] == prefixTokenId)
        {
            // The continuation already starts with the prefix token: it becomes the context (harness-scoring.md §1.3).
            (contextIds, continuationIds) = (continuationIds[..1], continuationIds[1..]);
        }

        if (continuationIds.Length == 0)
        {
            throw new ArgumentException($"request {index}: the continuation encodes to no tokens.", nameof(request));
        }

        return (contextIds, continuationIds);
    }

    /// <summary><c>model_max_length</c> of <c>tokenizer_config.json</c> when it is a real bound (the harness's fallback for max_length).</summary>
    internal static int? TokenizerMaxLength(string directory)
    {
        var path = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(Files.BoundedFile.ReadAllBytes(path, Files.BoundedFile.ConfigLimit));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("model_max_length", out var m)
                && m.ValueKind == JsonValueKind.Number && m.GetDouble() is var v && v >= 1 && v < TokenizerInfinity && v <= int.MaxValue
                ? (int)v
                : null;
        }
        catch (Exception ex) when (ex is JsonException or Files.FileLimitException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<LogLikelihoodResult>> RunAsync((int[] Context, int[] Continuation)[] requests, IProgress<ScoringProgress>? progress, CancellationToken ct)
    {
        var vocabulary = _model.Config.VocabularySize;
        for (var i = 0; i < requests.Length; i++)
        {
            var (ctx, cont) = requests[i];
            if (ctx.Length == 0 || cont.Length == 0)
            {
                throw new ArgumentException($"request {i}: the {(ctx.Length == 0 ? "context" : "continuation")} is empty.", nameof(requests));
            }

            foreach (var id in ctx.Concat(cont))
            {
                if ((uint)id >= (uint)vocabulary)
                {
                    throw new ArgumentException($"request {i}: token id {id} is outside the model's vocabulary [0, {vocabulary}).", nameof(requests));
                }
            }
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Run(requests, progress, ct), ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private LogLikelihoodResult[] Run((int[] Context, int[] Continuation)[] requests, IProgress<ScoringProgress>? progress, CancellationToken ct)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Threads ?? Environment.ProcessorCount, CancellationToken = ct };
        var results = new LogLikelihoodResult[requests.Length];
        long tokens = 0;
        for (var i = 0; i < requests.Length; i++)
        {
            var (ctx, cont) = requests[i];
            var encoder = ctx.Length > MaxLength ? ctx[^MaxLength..] : ctx;
            var labels = cont.Length > MaxLength ? cont[^MaxLength..] : cont;
            var decoder = new int[labels.Length];
            decoder[0] = _model.Config.DecoderStartTokenId;
            Array.Copy(labels, 0, decoder, 1, labels.Length - 1);
            var scores = _model.Score(encoder, decoder, labels.Select(l => (IReadOnlyList<int>)[l]).ToArray(), parallel);
            double sum = 0;
            var greedy = true;
            for (var r = 0; r < labels.Length; r++)
            {
                sum += scores.TargetLogits[r][0] - scores.LogSumExp[r];
                greedy &= scores.ArgMax[r] == labels[r];
            }

            results[i] = new LogLikelihoodResult(sum, greedy, ctx.Length, cont.Length);
            tokens += encoder.Length + decoder.Length;
            progress?.Report(new ScoringProgress(i + 1, requests.Length, tokens));
        }

        return results;
    }
}
