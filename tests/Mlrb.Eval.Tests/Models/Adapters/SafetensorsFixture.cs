using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlrb.Eval.Tests.Models.Adapters;

/// <summary>Writes and rewrites small safetensors files for adapter tests.</summary>
internal static class SafetensorsFixture
{
    /// <summary>Writes fp32 tensors.</summary>
    public static void WriteF32(string path, IReadOnlyDictionary<string, (int[] Shape, float[] Values)> tensors)
    {
        var header = new JsonObject();
        using var data = new MemoryStream();
        Span<byte> b = stackalloc byte[4];
        foreach (var (name, (shape, values)) in tensors)
        {
            var begin = data.Length;
            foreach (var v in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(b, v);
                data.Write(b);
            }

            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(begin, data.Length),
            };
        }

        Write(path, header.ToJsonString(), data.ToArray());
    }

    /// <summary>Copies a safetensors file with its tensors renamed (the data is unchanged).</summary>
    public static void Rename(string source, string destination, Func<string, string> rename)
    {
        var bytes = File.ReadAllBytes(source);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        var renamed = new JsonObject();
        foreach (var (name, value) in header.ToList())
        {
            header.Remove(name);
            renamed[name == "__metadata__" ? name : rename(name)] = value;
        }

        Write(destination, renamed.ToJsonString(), bytes[(8 + length)..]);
    }

    /// <summary>Reads every tensor of a file as fp32 (F32, F16, BF16).</summary>
    public static Dictionary<string, (int[] Shape, float[] Values)> ReadAll(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, length));
        var result = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
        {
            var shape = p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var begin = 8 + length + p.Value.GetProperty("data_offsets")[0].GetInt32();
            var count = shape.Aggregate(1, (a, d) => a * d);
            var dtype = p.Value.GetProperty("dtype").GetString();
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = dtype switch
                {
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(begin + (4 * i))),
                    "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(begin + (2 * i))),
                    "BF16" => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(begin + (2 * i))) << 16),
                    _ => throw new InvalidDataException(dtype),
                };
            }

            result[p.Name] = (shape, values);
        }

        return result;
    }

    private static void Write(string path, string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        using var file = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)h.Length);
        file.Write(prefix);
        file.Write(h);
        file.Write(data);
    }
}
