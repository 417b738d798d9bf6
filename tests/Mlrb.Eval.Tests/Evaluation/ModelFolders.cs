using System.Text;

namespace Mlrb.Eval.Tests.Evaluation;

/// <summary>Writes small model folders for rule and outcome tests: hand-made safetensors headers with zeroed data.</summary>
internal static class ModelFolders
{
    private static readonly Dictionary<string, int> ElementBytes = new() { ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I8"] = 1 };

    /// <summary>A folder with one safetensors file holding the given tensors (all zero) and an optional config.json.</summary>
    public static string Write(string directory, string? configJson, params (string Name, string DType, int[] Shape)[] tensors)
    {
        Directory.CreateDirectory(directory);
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, dtype, shape) in tensors)
        {
            var bytes = shape.Aggregate(1L, (a, b) => a * b) * ElementBytes[dtype];
            header.Append(header.Length > 1 ? "," : "").Append(System.Globalization.CultureInfo.InvariantCulture, $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(',', shape)}],\"data_offsets\":[{offset},{offset + bytes}]}}");
            offset += bytes;
        }

        var headerBytes = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        using (var f = File.Create(Path.Combine(directory, "model.safetensors")))
        {
            f.Write(BitConverter.GetBytes((long)headerBytes.Length));
            f.Write(headerBytes);
            f.Write(new byte[offset]);
        }

        if (configJson is not null)
        {
            File.WriteAllText(Path.Combine(directory, "config.json"), configJson);
        }

        return directory;
    }
}
