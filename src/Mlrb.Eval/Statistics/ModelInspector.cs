using Mlrb.Eval.Data;

namespace Mlrb.Eval.Statistics;

/// <summary>Computes <see cref="ModelStatistics"/> from the <c>*.safetensors</c> files of a Hugging Face model folder.</summary>
public static class ModelInspector
{
    private static readonly string[] BufferSuffixes = [".attn.bias", ".attn.masked_bias", "rotary_emb.inv_freq"];

    /// <summary>Reads the headers (and, when asked, the data to count non-zero values).</summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="countNonZero">Read every tensor to count non-zero parameters.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="BenchmarkDataException">The folder has no safetensors file or a file is malformed.</exception>
    public static ModelStatistics Inspect(string modelDirectory, bool countNonZero = true)
    {
        if (!Directory.Exists(modelDirectory))
        {
            throw new BenchmarkDataException(modelDirectory, 0, "model folder not found");
        }

        var files = Directory.EnumerateFiles(modelDirectory, "*.safetensors").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new BenchmarkDataException(modelDirectory, 0, "no *.safetensors weights in the model folder");
        }

        var tied = TiesWordEmbeddings(modelDirectory);
        long total = 0, buffers = 0, bytes = 0, nonZero = 0, tiedElements = 0, nonFinite = 0;
        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var nonFiniteByTensor = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var (tensors, dataStart) = SafetensorsHeader.Read(file);
            using var stream = countNonZero ? File.OpenRead(file) : null;
            foreach (var t in tensors)
            {
                bytes += t.End - t.Begin;
                if (IsBuffer(t))
                {
                    buffers += t.Elements;
                    continue;
                }

                if (stream is not null && SafetensorsHeader.IsFloat(t.DType))
                {
                    var bad = CountNonFinite(stream, dataStart, t, file);
                    if (bad > 0)
                    {
                        nonFinite += bad;
                        nonFiniteByTensor[t.Name] = bad;
                    }
                }

                if (tied && t.Name == "lm_head.weight")
                {
                    // PyTorch's parameters() yields a tied weight once; a checkpoint may still store the copy.
                    tiedElements += t.Elements;
                    continue;
                }

                total += t.Elements;
                byType[t.DType] = byType.GetValueOrDefault(t.DType) + t.Elements;
                if (stream is not null)
                {
                    nonZero += CountNonZero(stream, dataStart, t, file);
                }
            }
        }

        return new ModelStatistics
        {
            TotalParameters = total,
            TrainableParameters = total,
            NonZeroParameters = countNonZero ? nonZero : null,
            NonFiniteValues = countNonZero ? nonFinite : null,
            NonFiniteByTensor = nonFiniteByTensor,
            BufferElements = buffers,
            TiedElements = tiedElements,
            WeightBytes = bytes,
            ParametersByDType = byType,
            Files = files.Select(f => Path.GetFileName(f)).ToList(),
        };
    }

    /// <summary><c>tie_word_embeddings</c> from config.json; absent means tied for GPT-2 (its config default) and untied otherwise.</summary>
    private static bool TiesWordEmbeddings(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, "config.json");
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(Files.BoundedFile.ReadAllBytes(path, Files.BoundedFile.ConfigLimit));
            var root = doc.RootElement;
            if (root.TryGetProperty("tie_word_embeddings", out var tie) && tie.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
            {
                return tie.GetBoolean();
            }

            return root.TryGetProperty("model_type", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String && type.GetString() == "gpt2";
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new BenchmarkDataException(path, 0, "malformed config.json: " + ex.Message);
        }
        catch (Files.FileLimitException ex)
        {
            throw new BenchmarkDataException(path, 0, ex.Reason);
        }
    }

    private static bool IsBuffer(SafetensorsTensor t) => BufferSuffixes.Any(s => t.Name.EndsWith(s, StringComparison.Ordinal)) && (t.Shape.Count == 4 || t.Shape.Count <= 1);

    /// <summary>Counts NaN and ±infinity values of a floating-point tensor (exponent bits all ones).</summary>
    private static long CountNonFinite(FileStream stream, long dataStart, SafetensorsTensor t, string file)
    {
        var size = CheckExtent(stream, dataStart, t, file);
        stream.Position = dataStart + t.Begin;
        var buffer = new byte[(int)Math.Min((1 << 20) / size * size, t.End - t.Begin)];
        long remaining = t.End - t.Begin, count = 0;
        while (remaining > 0)
        {
            var n = (int)Math.Min(buffer.Length, remaining);
            stream.ReadExactly(buffer, 0, n);
            count += NonFiniteIn(buffer.AsSpan(0, n), t.DType);
            remaining -= n;
        }

        return count;
    }

    private static long NonFiniteIn(ReadOnlySpan<byte> data, string dtype)
    {
        long count = 0;
        switch (dtype)
        {
            case "F32":
                foreach (var bits in System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(data))
                {
                    count += (bits & 0x7F800000u) == 0x7F800000u ? 1 : 0;
                }

                break;
            case "F64":
                foreach (var bits in System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(data))
                {
                    count += (bits & 0x7FF0000000000000ul) == 0x7FF0000000000000ul ? 1 : 0;
                }

                break;
            case "F16":
                foreach (var bits in System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(data))
                {
                    count += (bits & 0x7C00) == 0x7C00 ? 1 : 0;
                }

                break;
            case "BF16":
                foreach (var bits in System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(data))
                {
                    count += (bits & 0x7F80) == 0x7F80 ? 1 : 0;
                }

                break;
            case "F8_E5M2":
                foreach (var b in data)
                {
                    count += (b & 0x7C) == 0x7C ? 1 : 0;
                }

                break;
            case "F8_E4M3":
                // E4M3 (fn) has no infinities; only S.1111.111 is NaN.
                foreach (var b in data)
                {
                    count += (b & 0x7F) == 0x7F ? 1 : 0;
                }

                break;
        }

        return count;
    }

    private static int CheckExtent(FileStream stream, long dataStart, SafetensorsTensor t, string file)
    {
        var size = SafetensorsHeader.ElementSize(t.DType);
        if (t.End - t.Begin != t.Elements * size || dataStart + t.End > stream.Length)
        {
            throw new BenchmarkDataException(file, 0, $"tensor {t.Name}: data_offsets do not match its shape and dtype");
        }

        return size;
    }

    private static long CountNonZero(FileStream stream, long dataStart, SafetensorsTensor t, string file)
    {
        var size = CheckExtent(stream, dataStart, t, file);

        // Floating-point ±0 share all bits but the sign; integers are zero when every byte is.
        var signMask = SafetensorsHeader.IsFloat(t.DType) ? (byte)0x7F : (byte)0xFF;
        stream.Position = dataStart + t.Begin;
        var buffer = new byte[(int)Math.Min((1 << 20) / size * size, t.End - t.Begin)];
        long remaining = t.End - t.Begin, count = 0;
        while (remaining > 0)
        {
            var n = (int)Math.Min(buffer.Length, remaining);
            stream.ReadExactly(buffer, 0, n);
            for (var i = 0; i < n; i += size)
            {
                // Little-endian: the sign bit is in the last byte of each element.
                var zero = (buffer[i + size - 1] & signMask) == 0;
                for (var b = 0; zero && b < size - 1; b++)
                {
                    zero = buffer[i + b] == 0;
                }

                if (!zero)
                {
                    count++;
                }
            }

            remaining -= n;
        }

        return count;
    }
}
