using System.Buffers.Binary;
using System.Text.Json;
using Mlrb.Eval.Data;

namespace Mlrb.Eval.Statistics;

/// <summary>Reads the header of a <c>.safetensors</c> file: an 8-byte little-endian length, then a JSON table of tensors.</summary>
internal static class SafetensorsHeader
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Reads the tensors of a file and the byte offset where their data starts.</summary>
    public static (List<SafetensorsTensor> Tensors, long DataStart) Read(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8)
        {
            throw new BenchmarkDataException(path, 0, "not a safetensors file (shorter than 8 bytes)");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (length <= 0 || length > MaxHeaderBytes || length > stream.Length - 8)
        {
            throw new BenchmarkDataException(path, 0, $"not a safetensors file (header length {length})");
        }

        var header = new byte[length];
        stream.ReadExactly(header);
        var tensors = new List<SafetensorsTensor>();
        try
        {
            using var doc = JsonDocument.Parse(header);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                var t = property.Value;
                var offsets = t.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                tensors.Add(new SafetensorsTensor(
                    property.Name,
                    t.GetProperty("dtype").GetString()!,
                    t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                    offsets[0],
                    offsets[1]));
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new BenchmarkDataException(path, 0, "malformed safetensors header: " + ex.Message);
        }

        return (tensors, 8 + length);
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
