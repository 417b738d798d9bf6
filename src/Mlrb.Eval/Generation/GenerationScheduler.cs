using System.Numerics.Tensors;
using System.Threading.Channels;
using Mlrb.Eval.Inference;
using Mlrb.Eval.Inference.Cpu;

namespace Mlrb.Eval.Generation;

/// <summary>
/// The decoding loop: one dedicated thread owns the model. Each iteration admits waiting prompts (up to
/// <see cref="TextGeneratorOptions.MaxBatchSequences"/>), builds one packed forward pass from every active sequence's
/// pending tokens (one token for a decoding sequence, a chunk of the prompt for a new one), samples a token for each
/// sequence whose pending tokens are all in, and publishes it. Sequences finish, fail or are cancelled independently.
/// </summary>
internal sealed class GenerationScheduler : IDisposable
{
    private const int InitialHeadroom = 64;
    private readonly IIncrementalModel _model;
    private readonly Func<int, string> _tokenText;
    private readonly int _maxSequences;
    private readonly int _maxStepTokens;
    private readonly ParallelOptions _parallel;
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<GenerationSequence> _waiting = new();
    private readonly List<GenerationSequence> _active = [];
    private readonly Thread _thread;
    private float[] _logits = [];
    private volatile bool _disposed;

    public GenerationScheduler(IIncrementalModel model, Func<int, string> tokenText, int maxSequences, int maxStepTokens, int? threads)
    {
        _model = model;
        _tokenText = tokenText;
        _maxSequences = maxSequences;
        _maxStepTokens = Math.Max(maxStepTokens, maxSequences);
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount };
        _thread = new Thread(Loop) { IsBackground = true, Name = "mlrb-generation" };
        _thread.Start();
    }

    /// <summary>Sequences waiting plus active (for load reporting).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    private int _inFlight;

    public void Submit(GenerationSequence sequence)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interlocked.Increment(ref _inFlight);
        if (!_inbox.Writer.TryWrite(sequence))
        {
            Interlocked.Decrement(ref _inFlight);
            ObjectDisposedException.ThrowIf(true, this);
        }
    }

    public Task<IReadOnlyList<TokenLogprob?>> Score(int[] tokens, int top, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var job = new ScoreJob(tokens, top, cancellationToken);
        ObjectDisposedException.ThrowIf(!_inbox.Writer.TryWrite(job), this);

        return job.Completion.Task;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _inbox.Writer.TryComplete();
        _thread.Join();
    }

    private void Loop()
    {
        var reader = _inbox.Reader;
        while (true)
        {
            while (reader.TryRead(out var item))
            {
                Accept(item);
            }

            if (_active.Count == 0 && _waiting.Count == 0)
            {
                if (!WaitForWork(reader))
                {
                    break;
                }

                continue;
            }

            try
            {
                Admit();
                StepOnce();
            }
#pragma warning disable CA1031 // a failed forward pass fails the sequences in it, never the loop
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var s in _active)
                {
                    Fail(s, ex);
                }

                _active.Clear();
            }
        }

        var closed = new ObjectDisposedException(nameof(ITextGenerator), "the text generator was disposed.");
        foreach (var s in _active.Concat(_waiting))
        {
            Fail(s, closed);
        }
    }

    private static bool WaitForWork(ChannelReader<object> reader)
    {
        try
        {
            return reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private void Accept(object item)
    {
        switch (item)
        {
            case GenerationSequence s:
                _waiting.Enqueue(s);
                break;
            case ScoreJob job:
                RunScore(job);
                break;
        }
    }

    private void Admit()
    {
        while (_active.Count < _maxSequences && _waiting.TryDequeue(out var s))
        {
            if (s.CancellationToken.IsCancellationRequested)
            {
                Cancel(s);
                continue;
            }

            s.Cache = _model.CreateCache(Math.Min(_model.PositionLimit, s.PromptLength + Math.Min(s.Options.MaxNewTokens, InitialHeadroom)));
            _active.Add(s);
        }
    }

    private void StepOnce()
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            if (_active[i].CancellationToken.IsCancellationRequested)
            {
                Cancel(_active[i]);
                _active.RemoveAt(i);
            }
        }

        if (_active.Count == 0)
        {
            return;
        }

        // Decoding sequences first (one token each), then prompt chunks within the step's token budget.
        var inputs = new List<DecodeInput>();
        var sampled = new List<GenerationSequence>();
        var budget = _maxStepTokens;
        var promptTaken = false;
        foreach (var s in _active.Where(s => s.Fed >= s.PromptLength).Concat(_active.Where(s => s.Fed < s.PromptLength)))
        {
            var take = Math.Min(s.Pending, Math.Max(budget, s.Fed >= s.PromptLength ? 1 : 0));
            if (_model.WholeSequenceAbove is { } whole && s.Fed <= whole && s.Fed + s.Pending > whole)
            {
                // LongRoPE switches frequencies past this length: the whole sequence runs again, in one pass.
                s.Cache!.Clear();
                s.Fed = 0;
                take = s.Pending;
            }
            else if (_model.EncoderDecoder && s.Fed < s.PromptLength)
            {
                // The encoder reads the whole prompt at once: it waits for a step with room, unless no other prompt is in this one.
                take = s.Pending <= budget || !promptTaken ? s.Pending : 0;
            }

            promptTaken |= take > 0 && s.Fed < s.PromptLength;

            if (take <= 0)
            {
                continue;
            }

            if (s.Cache!.Capacity < s.Fed + take)
            {
                s.Cache = _model.Grow(s.Cache, Math.Min(_model.PositionLimit, Math.Max(s.Fed + take, s.Cache.Capacity * 2)));
            }

            var wants = take == s.Pending;
            inputs.Add(new DecodeInput(s.Cache, s.TakePending(take), wants));
            if (wants)
            {
                sampled.Add(s);
            }

            budget -= take;
        }

        var width = _model.OutputWidth;
        if (_logits.Length < sampled.Count * width)
        {
            _logits = GC.AllocateUninitializedArray<float>(sampled.Count * width);
        }

        _model.Step(inputs, _logits, _parallel);
        for (var r = 0; r < sampled.Count; r++)
        {
            var s = sampled[r];
            var row = _logits.AsSpan(r * width, width);
            GenerationUpdate update;
            GenerationFinishReason? finish;
            try
            {
                var token = s.Sampler.Next(row);
                var logprob = s.Options.Logprobs is { } top ? Logprob(row, token, top) : null;
                (update, finish) = s.Accept(token, logprob, PositionLimit(s));
            }
#pragma warning disable CA1031 // one sequence's failure (e.g. a tokenizer error) must not stop the others
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(s, ex);
                _active.Remove(s);
                continue;
            }

            s.Updates?.TryWrite(update);
            if (finish is not null)
            {
                Complete(s, update.Result!);
                _active.Remove(s);
            }
        }
    }

    /// <summary>
    /// The length of prompt and generated tokens at which <paramref name="s"/>'s context is full: the model's limit, or for an
    /// encoder-decoder model the prompt plus the decoder's positions after its start token.
    /// </summary>
    private int PositionLimit(GenerationSequence s) => _model.EncoderDecoder ? s.PromptLength + _model.PositionLimit - 1 : _model.PositionLimit;

    private TokenLogprob Logprob(ReadOnlySpan<float> row, int token, int top)
    {
        var lse = Kernels.LogSumExp(row);
        var alternatives = new List<TokenAlternative>(top);
        if (top > 0)
        {
            foreach (var id in TopIndices(row, top))
            {
                alternatives.Add(new TokenAlternative(id, _tokenText(id), row[id] - lse));
            }
        }

        return new TokenLogprob(token, _tokenText(token), row[token] - lse, alternatives);
    }

    /// <summary>The <paramref name="k"/> largest entries, largest first (the lower index first on ties).</summary>
    internal static int[] TopIndices(ReadOnlySpan<float> row, int k)
    {
        k = Math.Min(k, row.Length);
        var ids = new int[k];
        var values = new float[k];
        var count = 0;
        for (var i = 0; i < row.Length; i++)
        {
            var v = row[i];
            if (count == k && !(v > values[k - 1]))
            {
                continue;
            }

            var at = count < k ? count++ : k - 1;
            while (at > 0 && v > values[at - 1])
            {
                values[at] = values[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }

            values[at] = v;
            ids[at] = i;
        }

        return ids;
    }

    private void RunScore(ScoreJob job)
    {
        if (job.CancellationToken.IsCancellationRequested)
        {
            job.Completion.TrySetCanceled(job.CancellationToken);
            return;
        }

        try
        {
            var result = new TokenLogprob?[job.Tokens.Length];
            _model.ForEachPosition(job.Tokens, _parallel, (position, row) =>
            {
                if (position + 1 < job.Tokens.Length)
                {
                    result[position + 1] = Logprob(row, job.Tokens[position + 1], job.Top);
                }
            });
            job.Completion.TrySetResult(result);
        }
#pragma warning disable CA1031 // the caller receives the exception
        catch (Exception ex)
#pragma warning restore CA1031
        {
            job.Completion.TrySetException(ex);
        }
    }

    private void Complete(GenerationSequence s, GenerationResult result)
    {
        s.Cache = null;
        s.Updates?.TryComplete();
        s.Completion.TrySetResult(result);
        Interlocked.Decrement(ref _inFlight);
    }

    private void Cancel(GenerationSequence s)
    {
        s.Cache = null;
        var ex = new OperationCanceledException(s.CancellationToken);
        s.Updates?.TryComplete(ex);
        s.Completion.TrySetCanceled(s.CancellationToken);
        Interlocked.Decrement(ref _inFlight);
    }

    private void Fail(GenerationSequence s, Exception ex)
    {
        s.Cache = null;
        s.Updates?.TryComplete(ex);
        s.Completion.TrySetException(ex);
        Interlocked.Decrement(ref _inFlight);
    }

    private sealed class ScoreJob(int[] tokens, int top, CancellationToken cancellationToken)
    {
        public int[] Tokens { get; } = tokens;

        public int Top { get; } = top;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<IReadOnlyList<TokenLogprob?>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
