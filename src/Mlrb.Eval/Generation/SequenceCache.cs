namespace Mlrb.Eval.Generation;

/// <summary>
/// What an <see cref="IIncrementalModel"/> keeps of one sequence between decoding steps (its keys and values, and for an
/// encoder-decoder model the encoder's output), opaque to the scheduler.
/// </summary>
internal abstract class SequenceCache
{
    /// <summary>Sequence tokens (prompt and generated) the cache can take before <see cref="IIncrementalModel.Grow"/> is needed.</summary>
    public abstract int Capacity { get; }

    /// <summary>Forgets every token held (the next step starts the sequence again from its first token).</summary>
    public abstract void Clear();
}
