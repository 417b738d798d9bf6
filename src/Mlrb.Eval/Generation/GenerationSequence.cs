using System.Diagnostics;
using System.Threading.Channels;

namespace Mlrb.Eval.Generation;

/// <summary>The state of one prompt inside the decoding loop.</summary>
internal sealed class GenerationSequence
{
    private readonly List<int> _tokens;
    private readonly List<TokenLogprob>? _logprobs;
    private readonly System.Text.StringBuilder _text = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public GenerationSequence(
        int[] prompt, int truncated, GenerationOptions options, TokenSampler sampler, IncrementalDetokenizer? detokenizer,
        StopSequenceMatcher stops, IReadOnlySet<int> endOfSequence, ChannelWriter<GenerationUpdate>? updates, CancellationToken cancellationToken)
    {
        _tokens = [.. prompt];
        PromptLength = prompt.Length;
        Truncated = truncated;
        Options = options;
        Sampler = sampler;
        Detokenizer = detokenizer;
        Stops = stops;
        EndOfSequence = endOfSequence;
        Updates = updates;
        CancellationToken = cancellationToken;
        _logprobs = options.Logprobs is null ? null : [];
    }

    public int PromptLength { get; }

    public int Truncated { get; }

    public GenerationOptions Options { get; }

    public TokenSampler Sampler { get; }

    public IncrementalDetokenizer? Detokenizer { get; }

    public StopSequenceMatcher Stops { get; }

    public IReadOnlySet<int> EndOfSequence { get; }

    public ChannelWriter<GenerationUpdate>? Updates { get; }

    public CancellationToken CancellationToken { get; }

    public TaskCompletionSource<GenerationResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SequenceCache? Cache { get; set; }

    /// <summary>Tokens (prompt, then generated) already run into the cache.</summary>
    public int Fed { get; set; }

    /// <summary>Prompt then generated tokens.</summary>
    public IReadOnlyList<int> Tokens => _tokens;

    public int Generated => _tokens.Count - PromptLength;

    public int Pending => _tokens.Count - Fed;

    /// <summary>Takes the next <paramref name="count"/> tokens to run.</summary>
    public ArraySegment<int> TakePending(int count)
    {
        var segment = new ArraySegment<int>(_tokens.GetRange(Fed, count).ToArray());
        Fed += count;
        return segment;
    }

    /// <summary>Records a generated token; returns the update to publish and the finish reason when the output is complete.</summary>
    public (GenerationUpdate Update, GenerationFinishReason? Finish) Accept(int token, TokenLogprob? logprob, int positionLimit)
    {
        _tokens.Add(token);
        if (logprob is not null)
        {
            _logprobs?.Add(logprob);
        }

        GenerationFinishReason? finish = null;
        var released = string.Empty;
        if (Options.StopAtEndOfSequence && EndOfSequence.Contains(token))
        {
            finish = GenerationFinishReason.EndOfSequence;
        }
        else if (Detokenizer is not null)
        {
            released = Stops.Append(Detokenizer.Add(token));
            if (Stops.Matched is not null)
            {
                finish = GenerationFinishReason.StopSequence;
            }
        }

        if (finish is null && Generated >= Options.MaxNewTokens)
        {
            finish = GenerationFinishReason.MaxTokens;
        }
        else if (finish is null && _tokens.Count >= positionLimit)
        {
            finish = GenerationFinishReason.ContextFull;
        }

        if (finish is not null && finish != GenerationFinishReason.StopSequence && Detokenizer is not null)
        {
            released += Stops.Append(Detokenizer.Flush());
            released += Stops.Matched is null ? Stops.Flush() : string.Empty;
            if (Stops.Matched is not null)
            {
                finish = GenerationFinishReason.StopSequence;
            }
        }

        _text.Append(released);
        var update = new GenerationUpdate { Text = released, TokenId = token, Logprob = logprob };
        if (finish is { } reason)
        {
            update = update with { Result = Result(reason) };
        }

        return (update, finish);
    }

    /// <summary>The result of an output that ends before generating anything (MaxNewTokens 0).</summary>
    public GenerationResult EmptyResult() => Result(GenerationFinishReason.MaxTokens);

    private GenerationResult Result(GenerationFinishReason reason) => new()
    {
        Text = _text.ToString(),
        TokenIds = _tokens.GetRange(PromptLength, Generated),
        PromptTokenCount = PromptLength,
        FinishReason = reason,
        StopSequence = Stops.Matched,
        Logprobs = _logprobs,
        TruncatedPromptTokens = Truncated,
        Duration = _clock.Elapsed,
    };
}
