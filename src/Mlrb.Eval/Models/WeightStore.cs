using System.Text.Json;

namespace Mlrb.Eval.Models;

/// <summary>The tensors of a Hugging Face model folder: <c>model.safetensors</c> or the shards of <c>model.safetensors.index.json</c>.</summary>
internal sealed class WeightStore : IDisposable
{
    private readonly List<SafeTensorsFile> _files = [];
    private readonly Dictionary<string, SafeTensorsFile> _byName = new(StringComparer.Ordinal);

    private WeightStore(string directory) => Directory = directory;

    public string Directory { get; }

    public static WeightStore Open(string directory)
    {
        var store = new WeightStore(directory);
        try
        {
            var single = Path.Combine(directory, "model.safetensors");
            var index = Path.Combine(directory, "model.safetensors.index.json");
            if (File.Exists(single))
            {
                store.Add(SafeTensorsFile.Open(single));
            }
            else if (File.Exists(index))
            {
                foreach (var shard in ReadIndex(index))
                {
                    var shardPath = ShardPath(directory, index, shard);
                    if (!File.Exists(shardPath))
                    {
                        throw new ModelFormatException(index, "weight_map", $"names shard '{shard}', which is not in the folder.");
                    }

                    store.Add(SafeTensorsFile.Open(shardPath));
                }
            }
            else if (File.Exists(Path.Combine(directory, "pytorch_model.bin")) || File.Exists(Path.Combine(directory, "pytorch_model.bin.index.json")))
            {
                throw new ModelFormatException(Path.Combine(directory, "pytorch_model.bin"), null,
                    "PyTorch pickle checkpoints are not loaded (they can run code). Convert the folder to safetensors first, e.g. "
                    + "`python -c \"from transformers import AutoModelForCausalLM as M; M.from_pretrained('DIR').save_pretrained('DIR', safe_serialization=True)\"`.");
            }
            else
            {
                throw new ModelFormatException(directory, "model.safetensors", "no model.safetensors or model.safetensors.index.json in the model folder.");
            }

            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Reads a tensor as fp32, checking its shape.</summary>
    public float[] Read(string name, params int[] shape)
    {
        var file = Find(name);
        var info = file.Tensors[name];
        if (!info.Shape.SequenceEqual(shape))
        {
            throw new ModelFormatException(file.Path, name, $"has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", shape)}] from config.json.");
        }

        var result = GC.AllocateUninitializedArray<float>(checked((int)info.ElementCount));
        file.ReadFloat32(name, result);
        return result;
    }

    /// <summary>The header entry of a tensor, checking its shape.</summary>
    public SafeTensorInfo Info(string name, params int[] shape)
    {
        var file = Find(name);
        var info = file.Tensors[name];
        if (!info.Shape.SequenceEqual(shape))
        {
            throw new ModelFormatException(file.Path, name, $"has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", shape)}] from config.json.");
        }

        return info;
    }

    /// <summary>Maps a tensor in place after checking its shape; dispose the result to unmap it.</summary>
    public MappedTensor Map(string name, params int[] shape)
    {
        Info(name, shape);
        return Find(name).Map(name);
    }

    /// <summary>The file a tensor is in (for error messages).</summary>
    public string FileOf(string name) => Find(name).Path;

    /// <summary>All tensor names.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>Reads an optional tensor (e.g. a bias); null when absent.</summary>
    public float[]? ReadOptional(string name, params int[] shape) => Contains(name) ? Read(name, shape) : null;

    public void Dispose()
    {
        foreach (var f in _files)
        {
            f.Dispose();
        }

        _files.Clear();
    }

    private SafeTensorsFile Find(string name)
        => _byName.TryGetValue(name, out var file)
            ? file
            : throw new ModelFormatException(_files.Count == 1 ? _files[0].Path : Directory, name, "required tensor is missing.");

    private void Add(SafeTensorsFile file)
    {
        _files.Add(file);
        foreach (var name in file.Tensors.Keys)
        {
            _byName[name] = file;
        }
    }

    private static List<string> ReadIndex(string index)
    {
        try
        {
            using var doc = JsonDocument.Parse(Files.BoundedFile.ReadAllBytes(index, Files.BoundedFile.ConfigLimit));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException(index, "weight_map", "required object is missing.");
            }

            return map.EnumerateObject().Select(p => p.Value.GetString() ?? string.Empty).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(index, null, $"not valid JSON ({ex.Message}).");
        }
        catch (Files.FileLimitException ex)
        {
            throw new ModelFormatException(index, null, ex.Reason);
        }
    }

    /// <summary>
    /// A shard named by the index, confined to the model folder: a plain file name (or a path below the folder), never
    /// absolute, never through <c>..</c>, never a link that leads outside.
    /// </summary>
    private static string ShardPath(string directory, string index, string shard)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
        var printable = shard.Length <= 80 ? shard : shard[..80] + "...";
        if (shard.Length == 0 || Path.IsPathRooted(shard) || shard.Split('/', '\\').Any(part => part is ".." or "") || shard.Contains('\0', StringComparison.Ordinal))
        {
            throw new ModelFormatException(index, "weight_map", $"names shard '{printable}', which is not a file name inside the model folder; refusing it.");
        }

        var full = Path.GetFullPath(Path.Combine(root, shard));
        var resolved = File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full : full;
        var realRoot = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName is { } r ? Path.TrimEndingDirectorySeparator(r) + Path.DirectorySeparatorChar : root;
        if (!full.StartsWith(root, StringComparison.Ordinal) || !(resolved.StartsWith(root, StringComparison.Ordinal) || resolved.StartsWith(realRoot, StringComparison.Ordinal)))
        {
            throw new ModelFormatException(index, "weight_map", $"names shard '{printable}', which leads outside the model folder; refusing it.");
        }

        return full;
    }
}
