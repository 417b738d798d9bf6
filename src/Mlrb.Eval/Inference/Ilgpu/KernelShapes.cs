namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>Scalar arguments of <see cref="ElementKernels.Gather"/>.</summary>
internal readonly record struct GatherShape(int Width, int Offset, int Type, int Accumulate);

/// <summary>Scalar arguments of <see cref="ElementKernels.Rotary"/>.</summary>
internal readonly record struct RotaryShape(int Width, int QueryHeads, int KeyValueHeads, int HeadDimension, int RotaryDimensions);

/// <summary>Scalar arguments of <see cref="ElementKernels.StoreKeyValues"/>.</summary>
internal readonly record struct StoreShape(int Width, int QueryWidth, int KeyValueWidth, int Row0, int Offset);

/// <summary>Scalar arguments of <see cref="RowKernels.Normalize"/>.</summary>
internal readonly record struct NormShape(int Width, float Epsilon, int Rms, int HasWeight, int HasBias);

/// <summary>Scalar arguments of <see cref="AttentionKernel.Attend"/> for one sequence.</summary>
internal readonly record struct AttentionShape(
    int Row0, int Count, int Past, int Width, int QueryWidth, int KeyValueWidth, int HeadDimension, int QueryHeads, int GroupSize,
    float Scale, float SoftCap, int Window);

/// <summary>Scalar arguments of <see cref="TiledGemm"/>'s kernel.</summary>
internal readonly record struct GemmShape(int M, int N, int K, int Type, int Accumulate, int RoundInputs);
