namespace Mlrb.Eval.Inference;

/// <summary>
/// A buffer of fp32 values owned by an <see cref="IComputeBackend"/> (host memory for the CPU backend, device memory for others).
/// The forward pass only hands buffers to backend operations; it never reads their contents directly.
/// </summary>
internal abstract class DeviceBuffer
{
    /// <summary>Number of fp32 elements.</summary>
    public abstract long Length { get; }

    /// <summary>A view of <paramref name="length"/> elements starting at <paramref name="offset"/>, sharing this buffer's memory.</summary>
    /// <param name="offset">First element.</param>
    /// <param name="length">Elements.</param>
    /// <returns>The view.</returns>
    public abstract DeviceBuffer Slice(long offset, long length);
}
