namespace Mlrb.Eval.Inference;

/// <summary>
/// The operations a decoder forward pass is made of. Architecture code (<see cref="Models.DecoderModel"/>) is written once against this
/// interface; the SIMD CPU engine (<see cref="Cpu.CpuBackend"/>) is one implementation. Buffers are opaque handles: an implementation may
/// keep them in device memory. Activations are fp32 <c>[rows, width]</c> row-major; an operation may write its output over its input
/// where noted. Operations run in call order; results are visible to the next operation.
/// </summary>
internal interface IComputeBackend
{
    /// <summary>One line naming the backend and its kernels (e.g. <c>cpu: AVX2+FMA, 2 threads</c>).</summary>
    string Description { get; }

    /// <summary>The arithmetic of matrix products.</summary>
    ComputePrecision Precision { get; }

    /// <summary>Threads (CPU) and cancellation for the operations that follow.</summary>
    ParallelOptions Parallel { get; set; }

    /// <summary>An fp32 buffer of <paramref name="length"/> elements, contents undefined.</summary>
    DeviceBuffer Allocate(long length);

    /// <summary>An fp32 buffer for a key/value cache, contents undefined (a backend may account for caches separately).</summary>
    DeviceBuffer AllocateCache(long length) => Allocate(length);

    /// <summary>An fp32 buffer holding <paramref name="values"/>.</summary>
    DeviceBuffer Upload(ReadOnlySpan<float> values);

    /// <summary>Copies the first <paramref name="destination"/>.Length elements of <paramref name="source"/> to the host.</summary>
    void Download(DeviceBuffer source, Span<float> destination);

    /// <summary>Copies the first <paramref name="count"/> elements of <paramref name="source"/> to <paramref name="destination"/>.</summary>
    void Copy(DeviceBuffer source, DeviceBuffer destination, long count);

    /// <summary>
    /// Creates a linear layer from <paramref name="parts"/> concatenated along the outputs, stored as <paramref name="storage"/>.
    /// The parts are read during the call only (they may point into memory-mapped files that are unmapped afterwards).
    /// </summary>
    LinearWeights CreateLinear(int inputs, IReadOnlyList<LinearPart> parts, WeightType storage);

    /// <summary>A row table (<c>[rows, width]</c>) stored as <paramref name="storage"/>; <paramref name="rows"/> is read during the call only.</summary>
    EmbeddingTable CreateEmbedding(HostTensor rows, WeightType storage);

    /// <summary>The rows of a tied LM head (<c>[outputs, inputs]</c> in PyTorch terms) used as an embedding table, without a copy.</summary>
    EmbeddingTable EmbeddingOf(LinearWeights tiedHead);

    /// <summary>Uploads what the operations of one forward pass need to know about the batch.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="positions">Absolute position of each token.</param>
    /// <param name="rotaryCos">Per token, <c>cos(angle)·attentionFactor</c> for each rotary frequency: <c>[tokens, rotaryDims/2]</c>; empty without rotary.</param>
    /// <param name="rotarySin">The same for sin.</param>
    DeviceBatch Prepare(ForwardBatch batch, int[] positions, float[] rotaryCos, float[] rotarySin);

    /// <summary>
    /// Gathers table rows into <paramref name="output"/> (<c>[tokens, table.Width]</c>): row <c>ids[i] + offset</c> for each token, where ids are the
    /// batch's tokens or positions; adds to the output instead of overwriting when <paramref name="accumulate"/>.
    /// </summary>
    void Gather(DeviceBatch batch, EmbeddingTable table, bool byPosition, int offset, DeviceBuffer output, bool accumulate);

    /// <summary><c>output[rows, N] (+)= input[rows, K] · W + bias</c>.</summary>
    void MatMul(DeviceBuffer input, int rows, LinearWeights weights, DeviceBuffer output, bool accumulate);

    /// <summary>Normalizes each row; <paramref name="output"/> may be <paramref name="input"/>. Null weight/bias mean 1 and 0.</summary>
    void Normalize(NormKind kind, DeviceBuffer input, int rows, int width, DeviceBuffer? weight, DeviceBuffer? bias, float epsilon, DeviceBuffer output);

    /// <summary>
    /// Rotary embedding in place on the query and key heads of <paramref name="qkv"/> (rotate-half layout on the first
    /// <paramref name="rotaryDimensions"/> elements of each head), with the batch's cos/sin rows.
    /// </summary>
    void Rotary(DeviceBatch batch, DeviceBuffer qkv, QkvLayout layout, int rotaryDimensions);

    /// <summary>Writes each sequence's keys and values from <paramref name="qkv"/> into its store (if any), after its prefix.</summary>
    void StoreKeyValues(DeviceBatch batch, int layer, DeviceBuffer qkv, QkvLayout layout);

    /// <summary>Causal attention of each sequence over its cached prefix and its own new tokens, <c>output[tokens, queryHeads·headDim]</c>.</summary>
    void Attention(DeviceBatch batch, int layer, DeviceBuffer qkv, QkvLayout layout, AttentionOptions options, DeviceBuffer output);

    /// <summary>Applies the activation row by row: <c>[rows, width]</c> → <c>[rows, width]</c>, or <c>[rows, width/2]</c> when gated.</summary>
    void Activate(Activation activation, DeviceBuffer input, int rows, int width, DeviceBuffer output);

    /// <summary><c>accumulator += addend</c> over <paramref name="count"/> elements.</summary>
    void Add(DeviceBuffer accumulator, DeviceBuffer addend, long count);

    /// <summary><c>values *= factor</c>.</summary>
    void Scale(DeviceBuffer values, long count, float factor);

    /// <summary><c>values = cap · tanh(values / cap)</c>.</summary>
    void SoftCap(DeviceBuffer values, long count, float cap);

    /// <summary>Copies the batch's output rows of <paramref name="input"/> (<c>[tokens, width]</c>) to <paramref name="output"/> (<c>[outputRows, width]</c>).</summary>
    void SelectRows(DeviceBatch batch, DeviceBuffer input, int width, DeviceBuffer output);

    /// <summary>The log-softmax gather: per logit row, log Σ exp, the argmax and the logits of the target ids.</summary>
    /// <param name="logits"><c>[rows, width]</c>.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="width">Output width (vocabulary).</param>
    /// <param name="targets">Per row, the ids whose logits are wanted.</param>
    RowScores ScoreRows(DeviceBuffer logits, int rows, int width, IReadOnlyList<int>[] targets);
}
