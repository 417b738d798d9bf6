using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Mlrb.Cli.Tests.Hostile;

/// <summary>Rewrites tensors or the header of a <c>.safetensors</c> file in place, to build broken models at test time.</summary>
internal static class SafetensorsEditor
{
    public static (JsonObject Header, long DataStart) ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> size = stackalloc byte[8];
        stream.ReadExactly(size);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(size);
        var header = new byte[n];
        stream.ReadExactly(header);
        return ((JsonObject)JsonNode.Parse(header)!, 8 + n);
    }

    /// <summary>Sets every F32 value of a tensor.</summary>
    public static void FillF32(string path, string tensor, float value)
    {
        var (header, dataStart) = ReadHeader(path);
        var offsets = header[tensor]!["data_offsets"]!.AsArray();
        var begin = offsets[0]!.GetValue<long>();
        var end = offsets[1]!.GetValue<long>();
        var bytes = File.ReadAllBytes(path);
        for (var i = dataStart + begin; i < dataStart + end; i += 4)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((int)i, 4), value);
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Replaces the header (keeping the data bytes), after <paramref name="edit"/> changed it.</summary>
    public static void EditHeader(string path, Action<JsonObject> edit)
    {
        var (header, dataStart) = ReadHeader(path);
        edit(header);
        var data = File.ReadAllBytes(path).AsSpan((int)dataStart).ToArray();
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = File.Create(path);
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)json.Length);
        stream.Write(size);
        stream.Write(json);
        stream.Write(data);
    }
}
