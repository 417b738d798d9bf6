using System.Text.Json;

namespace Mlrb.Benchmarks;

/// <summary>Finds <c>../shared/data</c> beside the checkout and reads benchmark inputs from it.</summary>
internal static class BenchmarkData
{
    /// <summary><c>../shared/data</c>, or null when absent.</summary>
    public static string? SharedData
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mlrb.sln")))
            {
                dir = dir.Parent;
            }

            if (dir is null)
            {
                return null;
            }

            var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            return Directory.Exists(shared) ? shared : null;
        }
    }

    /// <summary>A path under <c>../shared/data</c>; throws a clear error when the data is absent.</summary>
    /// <param name="relative">The relative path.</param>
    /// <returns>The absolute path.</returns>
    public static string Require(string relative)
    {
        var root = SharedData ?? throw new InvalidOperationException("This benchmark needs ../shared/data beside the checkout.");
        var path = Path.Combine(root, relative);
        return File.Exists(path) || Directory.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing.");
    }

    /// <summary>
    /// <paramref name="count"/> BLiMP sentences as the harness scores them (<c>" " + sentence_good</c>), in file order,
    /// from every paradigm under <c>benchmarks/blimp</c> (sorted by name).
    /// </summary>
    /// <param name="count">How many sentences.</param>
    /// <returns>The sentences.</returns>
    public static string[] BlimpSentences(int count)
    {
        var result = new List<string>(count);
        foreach (var file in Directory.GetFiles(Require("benchmarks/blimp"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (result.Count == count)
                {
                    return [.. result];
                }

                if (line.Length == 0)
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line);
                result.Add(" " + doc.RootElement.GetProperty("sentence_good").GetString());
            }
        }

        return [.. result];
    }
}
