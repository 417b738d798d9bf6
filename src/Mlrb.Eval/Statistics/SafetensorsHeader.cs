using Mlrb.Eval.Data;
using Mlrb.Eval.Models;

namespace Mlrb.Eval.Statistics;

/// <summary>The tensor table of a <c>.safetensors</c> file, as model statistics need it.</summary>
internal static class SafetensorsHeader
{
    /// <summary>Reads the tensors of a file and the byte offset where their data starts (the engine's header parser).</summary>
    /// <exception cref="BenchmarkDataException">The file is not safetensors or its header is malformed.</exception>
    public static (List<SafetensorsTensor> Tensors, long DataStart) Read(string path)
    {
        try
        {
            var (tensors, dataStart) = SafeTensorsFile.ReadHeader(path);
            var list = tensors.Values
                .Select(t => new SafetensorsTensor(t.Name, t.DType, t.Shape.Select(d => (long)d).ToArray(), t.Begin, t.End))
                .ToList();
            return (list, dataStart);
        }
        catch (ModelFormatException ex)
        {
            throw new BenchmarkDataException(path, 0, "malformed safetensors header: " + ex.Message);
        }
    }

    /// <summary>Bytes per element of a safetensors dtype.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => throw new NotSupportedException($"unknown safetensors dtype {dtype}"),
    };

    /// <summary>Whether a dtype is a floating-point type.</summary>
    public static bool IsFloat(string dtype) => dtype is "F64" or "F32" or "F16" or "BF16" or "F8_E4M3" or "F8_E5M2";
}
