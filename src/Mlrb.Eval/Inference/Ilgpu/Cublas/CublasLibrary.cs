using System.Runtime.InteropServices;

namespace Mlrb.Eval.Inference.Ilgpu.Cublas;

/// <summary>
/// Finds and loads NVIDIA's <c>libcublas.so</c> (CUDA 13, 12 or 11). Search order: the folders in <c>MLRB_CUBLAS_PATH</c>
/// (separated by ':'), the plain sonames (the dynamic loader's own search: <c>LD_LIBRARY_PATH</c>, the ldconfig cache), then
/// <c>$CUDA_HOME/lib64</c>, <c>$CUDA_PATH/lib64</c> and <c>/usr/local/cuda/lib64</c>. <c>libcublasLt</c> of the same major version is
/// loaded first from the same place (libcublas depends on it). Handles are kept for the whole process.
/// UNVERIFIED on NVIDIA hardware: no run on a machine with libcublas has happened yet.
/// </summary>
internal sealed class CublasLibrary
{
    /// <summary>The environment variable naming folders to search first.</summary>
    public const string PathVariable = "MLRB_CUBLAS_PATH";

    /// <summary>The sonames tried, newest first.</summary>
    public static readonly IReadOnlyList<string> SoNames = ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"];

    private static readonly Lock Gate = new();
    private static CublasLibrary? loaded;

    private CublasLibrary(nint handle, string path)
    {
        Handle = handle;
        Path = path;
    }

    /// <summary>The library handle (never freed).</summary>
    public nint Handle { get; }

    /// <summary>The candidate that loaded (a soname or an absolute path).</summary>
    public string Path { get; }

    /// <summary>Loads cuBLAS once per process from the default candidates; throws <see cref="CublasException"/> with a one-line reason when none loads.</summary>
    public static CublasLibrary Load()
    {
        lock (Gate)
        {
            return loaded ??= Load(
                Candidates(Environment.GetEnvironmentVariable(PathVariable), Environment.GetEnvironmentVariable("CUDA_HOME"), Environment.GetEnvironmentVariable("CUDA_PATH")),
                static path => NativeLibrary.TryLoad(path, out var h) ? h : 0);
        }
    }

    /// <summary>Tries <paramref name="candidates"/> in order with <paramref name="tryLoad"/> (0 = failed).</summary>
    /// <exception cref="CublasException">No candidate loaded.</exception>
    internal static CublasLibrary Load(IReadOnlyList<string> candidates, Func<string, nint> tryLoad)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(tryLoad);
        foreach (var candidate in candidates)
        {
            if (candidate.Contains('/', StringComparison.Ordinal) && !File.Exists(candidate))
            {
                continue;
            }

            // cublasLt first, from the same folder and major version; a failure here is left to the cublas load to report.
            _ = tryLoad(LtFor(candidate));
            var handle = tryLoad(candidate);
            if (handle != 0)
            {
                return new CublasLibrary(handle, candidate);
            }
        }

        throw new CublasException(
            $"cuBLAS is not available: none of {string.Join(", ", SoNames)} could be loaded (searched {PathVariable}, the dynamic loader's path, "
            + "CUDA_HOME/lib64, CUDA_PATH/lib64, /usr/local/cuda/lib64); install cuBLAS 12 or 13 (e.g. pip install nvidia-cublas) or set "
            + $"{PathVariable} to the folder holding libcublas.so.N.");
    }

    /// <summary>The ordered candidate list (absolute paths for folders, plain sonames for the loader's own search).</summary>
    internal static IReadOnlyList<string> Candidates(string? overrideFolders, string? cudaHome, string? cudaPath)
    {
        var list = new List<string>();
        foreach (var folder in (overrideFolders ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            list.AddRange(SoNames.Select(name => System.IO.Path.Combine(System.IO.Path.GetFullPath(folder), name)));
        }

        list.AddRange(SoNames);
        foreach (var root in new[] { cudaHome, cudaPath, "/usr/local/cuda" })
        {
            if (!string.IsNullOrWhiteSpace(root))
            {
                list.AddRange(SoNames.Select(name => System.IO.Path.Combine(root, "lib64", name)));
            }
        }

        return list.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The cublasLt library that goes with a cublas candidate (same folder, same version suffix).</summary>
    internal static string LtFor(string cublasCandidate)
    {
        var folder = System.IO.Path.GetDirectoryName(cublasCandidate);
        var name = System.IO.Path.GetFileName(cublasCandidate).Replace("libcublas.so", "libcublasLt.so", StringComparison.Ordinal);
        return string.IsNullOrEmpty(folder) ? name : System.IO.Path.Combine(folder, name);
    }
}
