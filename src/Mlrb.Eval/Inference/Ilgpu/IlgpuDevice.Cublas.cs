using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Mlrb.Eval.Inference.Ilgpu.Cublas;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>The vendor matrix product: cuBLAS on an NVIDIA GPU (UNVERIFIED on NVIDIA hardware).</summary>
internal sealed partial class IlgpuDevice
{
    static partial void CreateVendorGemm(Accelerator accelerator, ref IDeviceGemm? gemm)
    {
        if (accelerator is CudaAccelerator cuda)
        {
            // Without cuBLAS this throws a one-line CublasException; opening the device reports it ("could not be opened (cuBLAS is not available: ...)").
            gemm = CublasGemm.Create(cuda, new TiledGemm(accelerator));
        }
    }
}
