using System.Security.Cryptography;
using System.Text;

namespace Mlrb.Eval.Reports;

/// <summary>A SHA-256 over a model folder's <c>config.json</c> and weight files (names and contents, in name order).</summary>
public static class ModelFingerprint
{
    /// <summary>Computes the fingerprint.</summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <returns>Lower-case hex, or null when the folder has none of the files.</returns>
    public static string? Compute(string modelDirectory)
    {
        if (!Directory.Exists(modelDirectory))
        {
            return null;
        }

        var files = Directory.EnumerateFiles(modelDirectory)
            .Where(f => Path.GetFileName(f) == "config.json" || f.EndsWith(".safetensors", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            using var stream = Files.BoundedFile.OpenRead(file, long.MaxValue);
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, n);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
