using NUnit.Framework;

namespace Mlrb.Testing;

/// <summary>Locates the repository and the optional <c>../shared</c> data beside it.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The repository root (the folder that holds <c>Mlrb.sln</c>).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary><c>../shared/data</c> beside the repository, or null when absent.</summary>
    public static string? SharedData
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>
    /// Returns a path under <c>../shared/data</c>, or marks the current test ignored (with the reason)
    /// when the shared data is not beside this checkout.
    /// </summary>
    /// <param name="relative">Path relative to <c>../shared/data</c>.</param>
    /// <returns>The absolute path.</returns>
    public static string RequireSharedData(string relative)
    {
        var root = SharedData;
        if (root is null)
        {
            Assert.Ignore("../shared/data is not beside this checkout; this test needs the shared real data.");
        }

        var path = Path.Combine(root!, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Ignore($"{path} is not present in ../shared/data.");
        }

        return path;
    }

    /// <summary>Creates a fresh empty temporary folder.</summary>
    /// <param name="prefix">A readable prefix.</param>
    /// <returns>The folder path.</returns>
    public static string CreateTempDirectory(string prefix = "mlrb-test")
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// The <c>dotnet</c> host running the tests (<c>DOTNET_HOST_PATH</c>, else the one beside the runtime), for starting
    /// built helper programs and the CLI as child processes.
    /// </summary>
    public static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll -> <root>/dotnet
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var candidate = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mlrb.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Mlrb.sln not found above " + AppContext.BaseDirectory);
    }
}
