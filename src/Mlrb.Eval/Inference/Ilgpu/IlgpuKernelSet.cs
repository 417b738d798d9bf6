using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>The ILGPU backend's kernels, compiled once per accelerator.</summary>
internal sealed class IlgpuKernelSet
{
    public IlgpuKernelSet(Accelerator accelerator)
    {
        Gather = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<float>, ArrayView<ushort>, GatherShape, ArrayView<float>>(ElementKernels.Gather);
        AddBias = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, ArrayView<float>>(ElementKernels.AddBias);
        Add = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(ElementKernels.Add);
        Scale = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float>(ElementKernels.Scale);
        SoftCap = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float>(ElementKernels.SoftCap);
        Activate = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, int, int, ArrayView<float>>(ElementKernels.Activate);
        SelectRows = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<float>, int, ArrayView<float>>(ElementKernels.SelectRows);
        Rotary = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, RotaryShape>(ElementKernels.Rotary);
        StoreKeyValues = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, StoreShape, ArrayView<float>, ArrayView<float>>(ElementKernels.StoreKeyValues);
        GatherTargets = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, ArrayView<int>, ArrayView<int>, ArrayView<float>>(ElementKernels.GatherTargets);
        Normalize = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, NormShape, ArrayView<float>>(RowKernels.Normalize);
        Statistics = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, ArrayView<double>, ArrayView<int>>(RowKernels.Statistics);
        Attend = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, AttentionShape, ArrayView<float>>(AttentionKernel.Attend);
    }

    public Action<Index1D, ArrayView<int>, ArrayView<float>, ArrayView<ushort>, GatherShape, ArrayView<float>> Gather { get; }

    public Action<Index1D, ArrayView<float>, int, ArrayView<float>> AddBias { get; }

    public Action<Index1D, ArrayView<float>, ArrayView<float>> Add { get; }

    public Action<Index1D, ArrayView<float>, float> Scale { get; }

    public Action<Index1D, ArrayView<float>, float> SoftCap { get; }

    public Action<Index1D, ArrayView<float>, int, int, int, int, ArrayView<float>> Activate { get; }

    public Action<Index1D, ArrayView<int>, ArrayView<float>, int, ArrayView<float>> SelectRows { get; }

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, RotaryShape> Rotary { get; }

    public Action<Index1D, ArrayView<float>, StoreShape, ArrayView<float>, ArrayView<float>> StoreKeyValues { get; }

    public Action<Index1D, ArrayView<float>, int, ArrayView<int>, ArrayView<int>, ArrayView<float>> GatherTargets { get; }

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, NormShape, ArrayView<float>> Normalize { get; }

    public Action<Index1D, ArrayView<float>, int, ArrayView<double>, ArrayView<int>> Statistics { get; }

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, AttentionShape, ArrayView<float>> Attend { get; }
}
