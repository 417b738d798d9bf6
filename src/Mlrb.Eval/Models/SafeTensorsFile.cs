using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Mlrb.Eval.Models;

/// <summary>One memory-mapped <c>.safetensors</c> file: a little-endian u64 header length, a JSON header, then raw tensor bytes.</summary>
internal sealed unsafe class SafeTensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L << 20;
    private readonly MemoryMappedFile _map;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafeTensorInfo> _tensors;

    private SafeTensorsFile(string path, MemoryMappedFile map, long dataStart, Dictionary<string, SafeTensorInfo> tensors)
    {
        Path = path;
        _map = map;
        _dataStart = dataStart;
        _tensors = tensors;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors => _tensors;

    /// <summary>Reads and validates the header without mapping the file: the tensors and where their data starts.</summary>
    /// <exception cref="ModelFormatException">The file is truncated, or its header is malformed or overruns the file.</exception>
    public static (Dictionary<string, SafeTensorInfo> Tensors, long DataStart) ReadHeader(string path)
    {
        var length = new FileInfo(path).Length;
        if (length < 8)
        {
            throw new ModelFormatException(path, "header length", $"file is truncated: {length} bytes, shorter than the 8-byte header length.");
        }

        Span<byte> prefix = stackalloc byte[8];
        byte[] headerBytes;
        using (var stream = File.OpenRead(path))
        {
            stream.ReadExactly(prefix);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > MaxHeaderBytes)
            {
                throw new ModelFormatException(path, "header length", $"declares a {headerLength}-byte JSON header, more than {MaxHeaderBytes} bytes; the file is not safetensors or is corrupt.");
            }

            if (8 + (long)headerLength > length)
            {
                throw new ModelFormatException(path, "header length", $"file is truncated: the JSON header needs {headerLength} bytes but only {length - 8} follow.");
            }

            headerBytes = new byte[headerLength];
            stream.ReadExactly(headerBytes);
        }

        var dataStart = 8 + headerBytes.LongLength;
        return (ParseHeader(path, headerBytes, length - dataStart), dataStart);
    }

    public static SafeTensorsFile Open(string path)
    {
        var (tensors, dataStart) = ReadHeader(path);
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        return new SafeTensorsFile(path, map, dataStart, tensors);
    }

    /// <summary>
    /// Reads a tensor, converting F32/F16/BF16 to fp32. Each read maps only that tensor's bytes and unmaps them afterwards,
    /// so the file's pages do not stay resident while the model is being built.
    /// </summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="destination">Receives the elements in row-major order; length must equal the tensor's element count.</param>
    public void ReadFloat32(string name, Span<float> destination)
    {
        var info = _tensors[name];
        if (destination.Length != info.ElementCount)
        {
            throw new ModelFormatException(Path, name, $"has {info.ElementCount} elements, expected {destination.Length}.");
        }

        if (info.ElementCount == 0)
        {
            return;
        }

        using var view = _map.CreateViewAccessor(_dataStart + info.Begin, info.End - info.Begin, MemoryMappedFileAccess.Read);
        byte* mapped = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref mapped);
        try
        {
            Convert(info, mapped + view.PointerOffset, destination);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    /// <summary>
    /// Maps one tensor's bytes for reading in place (F32, F16 or BF16). The caller disposes the result as soon as it has copied what it
    /// needs, so only that tensor's pages are mapped.
    /// </summary>
    /// <param name="name">Tensor name.</param>
    /// <returns>The mapped tensor.</returns>
    public MappedTensor Map(string name)
    {
        var info = _tensors[name];
        var type = info.DType switch
        {
            "F32" => Inference.WeightType.F32,
            "F16" => Inference.WeightType.F16,
            "BF16" => Inference.WeightType.BF16,
            _ => throw new ModelFormatException(Path, name, $"unsupported dtype {info.DType}; weights must be F32, F16 or BF16."),
        };
        if (info.ElementCount == 0)
        {
            return new MappedTensor(info, type, null, null);
        }

        var view = _map.CreateViewAccessor(_dataStart + info.Begin, info.End - info.Begin, MemoryMappedFileAccess.Read);
        byte* mapped = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref mapped);
        return new MappedTensor(info, type, view, mapped + view.PointerOffset);
    }

    public void Dispose() => _map.Dispose();

    private void Convert(SafeTensorInfo info, byte* src, Span<float> destination)
    {
        var name = info.Name;
        switch (info.DType)
        {
            case "F32":
                new ReadOnlySpan<float>(src, destination.Length).CopyTo(destination);
                break;
            case "F16":
                System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(src, destination.Length), destination);
                break;
            case "BF16":
                var bits = new ReadOnlySpan<ushort>(src, destination.Length);
                var dst = MemoryMarshal.Cast<float, uint>(destination);
                for (var i = 0; i < bits.Length; i++)
                {
                    dst[i] = (uint)bits[i] << 16;
                }

                break;
            default:
                throw new ModelFormatException(Path, name, $"unsupported dtype {info.DType}.");
        }
    }

    private static Dictionary<string, SafeTensorInfo> ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            // The parser's message quotes the offending bytes; say where, never what (the file may be anything).
            throw new ModelFormatException(path, "header", $"the JSON header is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}); the file is not safetensors or is corrupt.");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException(path, "header", "the JSON header is not an object.");
            }

            var result = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    continue;
                }

                result[entry.Name] = ParseEntry(path, entry, dataLength);
            }

            CheckRanges(path, result.Values);
            return result;
        }
    }

    private static long MultiplyOrThrow(string path, string name, JsonElement shape, long a, long b)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException)
        {
            throw new ModelFormatException(path, name + ".shape", $"shape {Clip(shape.GetRawText())} has more elements than 64 bits can count.");
        }
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "...";

    /// <summary>
    /// Tensor data ranges, in offset order, must tile the data section without overlap or gaps (as the reference
    /// safetensors implementation requires), so two tensors can never alias the same bytes.
    /// </summary>
    private static void CheckRanges(string path, IEnumerable<SafeTensorInfo> tensors)
    {
        long expected = 0;
        SafeTensorInfo? previous = null;
        foreach (var t in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (t.Begin < expected)
            {
                throw new ModelFormatException(path, t.Name + ".data_offsets", $"[{t.Begin}, {t.End}] overlaps {previous!.Name} [{previous.Begin}, {previous.End}]; tensor data ranges must not overlap.");
            }

            if (t.Begin > expected)
            {
                throw new ModelFormatException(path, t.Name + ".data_offsets", $"[{t.Begin}, {t.End}] leaves a gap after byte {expected}; tensor data ranges must be contiguous.");
            }

            expected = t.End;
            previous = t;
        }
    }

    private static SafeTensorInfo ParseEntry(string path, JsonProperty entry, long dataLength)
    {
        var name = entry.Name;
        var v = entry.Value;
        if (v.ValueKind != JsonValueKind.Object
            || !v.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String
            || !v.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array
            || !v.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
        {
            throw new ModelFormatException(path, name, "header entry needs dtype, shape and a two-element data_offsets.");
        }

        var dtype = dtypeEl.GetString()!;
        var size = dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            "F64" or "I64" or "U64" => 8,
            "I32" or "U32" => 4,
            "I16" or "U16" => 2,
            "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
            _ => throw new ModelFormatException(path, name + ".dtype", $"unknown dtype '{dtype}'."),
        };
        var shape = new int[shapeEl.GetArrayLength()];
        long count = 1;
        var i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var dim) || dim < 0)
            {
                throw new ModelFormatException(path, name + ".shape", $"bad dimension {Clip(d.GetRawText())}.");
            }

            shape[i++] = dim;
            count = MultiplyOrThrow(path, name, shapeEl, count, dim);
        }

        var bytes = MultiplyOrThrow(path, name, shapeEl, count, size);

        if (!offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw new ModelFormatException(path, name + ".data_offsets", $"bad offsets {Clip(offEl.GetRawText())}.");
        }

        if (end > dataLength)
        {
            throw new ModelFormatException(path, name + ".data_offsets", $"[{begin}, {end}] overruns the file: only {dataLength} bytes of tensor data follow the header (truncated or corrupt file).");
        }

        if (end - begin != bytes)
        {
            throw new ModelFormatException(path, name + ".data_offsets", $"spans {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {bytes}.");
        }

        return new SafeTensorInfo(name, dtype, shape, begin, end, count);
    }
}

/// <summary>One tensor's header entry.</summary>
internal sealed record SafeTensorInfo(string Name, string DType, int[] Shape, long Begin, long End, long ElementCount);
