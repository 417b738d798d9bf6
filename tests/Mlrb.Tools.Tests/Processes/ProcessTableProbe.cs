namespace Mlrb.Tools.Tests.Processes;

/// <summary>Finds programs for tests.</summary>
internal static class ProcessTableProbe
{
    public static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
