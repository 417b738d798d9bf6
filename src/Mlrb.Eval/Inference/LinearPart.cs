namespace Mlrb.Eval.Inference;

/// <summary>
/// One block of output features of a linear layer. <see cref="Weight"/> is <c>[outputs, inputs]</c> (PyTorch <c>nn.Linear</c>) unless
/// <see cref="InputMajor"/>, where it is <c>[inputs, outputs]</c> (GPT-2's <c>Conv1D</c>). Several parts are concatenated along the outputs
/// (fused query/key/value, fused gate/up).
/// </summary>
/// <param name="Weight">The weight block.</param>
/// <param name="InputMajor">Whether <see cref="Weight"/> is <c>[inputs, outputs]</c>.</param>
/// <param name="Bias">Bias of the block's outputs, or null.</param>
internal readonly record struct LinearPart(HostTensor Weight, bool InputMajor, float[]? Bias)
{
    /// <summary>Output features of the block.</summary>
    public int Outputs => InputMajor ? Weight.Columns : Weight.Rows;

    /// <summary>Input features.</summary>
    public int Inputs => InputMajor ? Weight.Rows : Weight.Columns;
}
