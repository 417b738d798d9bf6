using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlrb.Tasks.Tests.Workspaces;

/// <summary>Minimal safetensors reading and writing of float32 tensors, written from the format's specification.</summary>
internal static class SafetensorsFile
{
    public static void WriteF32(string path, IReadOnlyDictionary<string, (int[] Shape, float[] Values)> tensors)
    {
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, (shape, values)) in tensors)
        {
            var size = values.Length * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        foreach (var (_, values) in tensors.Values)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }

    public static Dictionary<string, (string DType, int[] Shape, float[] Values)> ReadF32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(bytes.AsSpan(8, headerLength))!.AsObject();
        var data = bytes.AsSpan(8 + headerLength);
        var result = new Dictionary<string, (string, int[], float[])>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                continue;
            }

            var offsets = node!["data_offsets"]!.AsArray().Select(o => o!.GetValue<int>()).ToArray();
            var values = MemoryMarshal.Cast<byte, float>(data[offsets[0]..offsets[1]]).ToArray();
            result[name] = (node["dtype"]!.GetValue<string>(), node["shape"]!.AsArray().Select(s => s!.GetValue<int>()).ToArray(), values);
        }

        return result;
    }

    public static void WriteConfig(string folder, string architecture) =>
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["architectures"] = new[] { architecture },
            ["model_type"] = "gpt2",
            ["n_embd"] = 2,
        }));
}
