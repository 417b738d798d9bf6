using System.Reflection;

namespace Mlrb.Tasks.Workspaces;

/// <summary>The starter kits embedded in this assembly (folder <c>StarterKits/</c> of the project).</summary>
internal static class StarterKits
{
    private const string Prefix = "StarterKits/";

    private static readonly Assembly Assembly = typeof(StarterKits).Assembly;

    /// <summary>Kit name to its files (paths relative to the kit folder, '/'-separated, sorted).</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> Kits = new(() =>
        Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .GroupBy(n => n[..n.IndexOf('/', StringComparison.Ordinal)], StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<string>)[.. g.Select(n => n[(g.Key.Length + 1)..]).Order(StringComparer.Ordinal)],
                StringComparer.Ordinal));

    /// <summary>Names of the kits.</summary>
    public static IReadOnlyCollection<string> Names => [.. Kits.Value.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Writes kit <paramref name="name"/> into <paramref name="targetDirectory"/>/<paramref name="name"/>.</summary>
    /// <returns>The written files, relative to <paramref name="targetDirectory"/>, '/'-separated.</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(string name, string targetDirectory, CancellationToken cancellationToken)
    {
        if (!Kits.Value.TryGetValue(name, out var files))
        {
            throw new InvalidOperationException($"Unknown starter kit '{name}'. Known kits: {string.Join(", ", Names)}.");
        }

        var written = new List<string>();
        foreach (var file in files)
        {
            var relative = name + "/" + file;
            var path = Path.Combine(targetDirectory, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var source = Assembly.GetManifestResourceStream(Prefix + relative)!;
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            written.Add(relative);
        }

        return written;
    }
}
