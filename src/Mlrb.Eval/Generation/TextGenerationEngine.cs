using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Generation;

/// <summary><see cref="ITextGenerator"/> over an <see cref="IIncrementalModel"/> and its <see cref="GenerationScheduler"/>.</summary>
internal sealed class TextGenerationEngine : ITextGenerator
{
    private readonly IIncrementalModel _model;
    private readonly GenerationScheduler _scheduler;
    private readonly HashSet<int> _endOfSequence;
    private readonly int? _prefixToken;

    public TextGenerationEngine(IIncrementalModel model, ITokenizer? tokenizer, IReadOnlyList<int> endOfSequence, int? prefixToken, TextGeneratorOptions options)
    {
        if (options.MaxBatchSequences <= 0 || options.MaxStepTokens <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxBatchSequences and MaxStepTokens must be positive.");
        }

        _model = model;
        Tokenizer = tokenizer;
        EndOfSequenceTokenIds = endOfSequence;
        _endOfSequence = [.. endOfSequence];
        _prefixToken = prefixToken;
        _scheduler = new GenerationScheduler(model, TokenText, options.MaxBatchSequences, options.MaxStepTokens, options.Threads);
    }

    public ITokenizer? Tokenizer { get; }

    public int MaxLength => _model.PositionLimit;

    public IReadOnlyList<int> EndOfSequenceTokenIds { get; }

    public bool IsEncoderDecoder => _model.EncoderDecoder;

    /// <summary>Prompts queued or decoding.</summary>
    internal int InFlight => _scheduler.InFlight;

    public async Task<IReadOnlyList<GenerationResult>> GenerateAsync(
        IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var sequences = new GenerationSequence[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            sequences[i] = Prepare(requests[i] ?? throw new ArgumentException($"request {i} is null.", nameof(requests)), i, null, cancellationToken);
        }

        var tasks = new Task<GenerationResult>[sequences.Length];
        var reported = new List<Task>(progress is null ? 0 : sequences.Length);
        var completed = 0;
        long tokens = 0;
        for (var i = 0; i < sequences.Length; i++)
        {
            tasks[i] = Start(sequences[i]);
            if (progress is not null)
            {
                reported.Add(tasks[i].ContinueWith(
                    t =>
                    {
                        if (t.IsCompletedSuccessfully)
                        {
                            var done = Interlocked.Increment(ref completed);
                            progress.Report(new GenerationProgress(done, sequences.Length, Interlocked.Add(ref tokens, t.Result.TokenIds.Count)));
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default));
            }
        }

        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        await Task.WhenAll(reported).ConfigureAwait(false); // every report is made before the caller sees the results
        return results;
    }

    public async IAsyncEnumerable<GenerationUpdate> GenerateStreamingAsync(
        GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<GenerationUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sequence = Prepare(request, 0, channel.Writer, stop.Token);
        var completion = Start(sequence);
        if (completion.IsCompletedSuccessfully && sequence.Options.MaxNewTokens == 0)
        {
            yield return new GenerationUpdate { Text = string.Empty, Result = completion.Result };
            yield break;
        }

        try
        {
            await foreach (var update in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return update;
            }

            await completion.ConfigureAwait(false);
        }
        finally
        {
            // The consumer stopped early (or the stream ended): make sure the sequence leaves the batch.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<TokenLogprob?>> ScoreTokensAsync(IReadOnlyList<int> tokens, int topLogprobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(topLogprobs);
        if (_model.EncoderDecoder)
        {
            throw new NotSupportedException(
                "an encoder-decoder model gives no log-probabilities for its prompt's own tokens: the encoder reads the prompt, the decoder predicts only the output. Score continuations with ModelScorer (mlrb score) instead.");
        }

        var ids = tokens.ToArray();
        CheckIds(ids, 0);
        if (ids.Length == 0)
        {
            return [];
        }

        if (ids.Length > MaxLength)
        {
            throw new ArgumentException($"the sequence has {ids.Length} tokens, more than the model's context of {MaxLength}.", nameof(tokens));
        }

        return await _scheduler.Score(ids, topLogprobs, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _scheduler.Dispose();

    public ValueTask DisposeAsync()
    {
        _scheduler.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<GenerationResult> Start(GenerationSequence sequence)
    {
        if (sequence.Options.MaxNewTokens == 0)
        {
            sequence.Updates?.TryComplete();
            return Task.FromResult(sequence.EmptyResult());
        }

        _scheduler.Submit(sequence);
        return sequence.Completion.Task;
    }

    private GenerationSequence Prepare(GenerationRequest request, int index, ChannelWriter<GenerationUpdate>? updates, CancellationToken cancellationToken)
    {
        var options = request.Options ?? new GenerationOptions();
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"request {index}: {ex.Message}", nameof(request), ex);
        }

        int[] prompt;
        if (request.Prompt is { } text)
        {
            var tokenizer = Tokenizer ?? throw new InvalidOperationException("this model folder has no tokenizer: give prompts as token ids.");
            // The harness encodes a causal model's context without special tokens and a seq2seq model's with the tokenizer's defaults.
            prompt = [.. tokenizer.Encode(text, options.AddSpecialTokens ?? (!options.HarnessContext || _model.EncoderDecoder))];
        }
        else
        {
            prompt = [.. request.PromptTokens!];
        }

        CheckIds(prompt, index);
        if (prompt.Length == 0)
        {
            prompt = [_prefixToken ?? throw new ArgumentException($"request {index}: the prompt is empty and the model names no BOS or EOS token to start from.", nameof(request))];
        }

        var truncated = 0;
        var room = MaxLength - Math.Max(1, options.MaxNewTokens);
        if (_model.EncoderDecoder)
        {
            // The encoder holds the prompt and the decoder the output, each up to MaxLength positions (lm-evaluation-harness
            // left-truncates a seq2seq context to max_length).
            if (prompt.Length > MaxLength && options.TruncatePromptFromLeft)
            {
                truncated = prompt.Length - MaxLength;
                prompt = prompt[truncated..];
            }
            else if (prompt.Length > MaxLength)
            {
                throw new ArgumentException(
                    $"request {index}: the prompt has {prompt.Length} tokens, more than the encoder's {MaxLength} (shorten the prompt or set TruncatePromptFromLeft).",
                    nameof(request));
            }
        }
        else if (options.TruncatePromptFromLeft && prompt.Length > Math.Max(1, room))
        {
            truncated = prompt.Length - Math.Max(1, room);
            prompt = prompt[truncated..];
        }
        else if (prompt.Length >= MaxLength && options.MaxNewTokens > 0)
        {
            throw new ArgumentException(
                $"request {index}: the prompt has {prompt.Length} tokens; the model's context of {MaxLength} tokens leaves no room to generate (shorten the prompt or set TruncatePromptFromLeft).",
                nameof(request));
        }

        var stops = options.StopSequences.ToList();
        if (stops.Count > 0 && Tokenizer is null)
        {
            throw new ArgumentException($"request {index}: stop strings need a tokenizer to decode the output; this model folder has none.", nameof(request));
        }

        if (options.AddEndOfSequenceText && Tokenizer is { EosTokenId: { } eos })
        {
            stops.Add(Tokenizer.Decode([eos], skipSpecialTokens: false));
        }

        var seed = options.Seed ?? BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        return new GenerationSequence(
            prompt,
            truncated,
            options,
            new TokenSampler(options.Temperature, options.TopP, options.TopK, seed),
            Tokenizer is null ? null : new IncrementalDetokenizer(Tokenizer),
            new StopSequenceMatcher(stops),
            _endOfSequence,
            updates,
            cancellationToken);
    }

    private void CheckIds(int[] ids, int index)
    {
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_model.VocabularySize)
            {
                throw new ArgumentException($"request {index}: token id {id} is outside the model's vocabulary [0, {_model.VocabularySize}).");
            }
        }
    }

    private string TokenText(int id) => Tokenizer?.Decode([id]) ?? string.Empty;
}
