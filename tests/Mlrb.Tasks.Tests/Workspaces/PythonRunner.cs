using System.Diagnostics;

namespace Mlrb.Tasks.Tests.Workspaces;

/// <summary>Runs the machine's python3 with a timeout, killing the whole process tree when it is exceeded.</summary>
internal static class PythonRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>The first <c>python3</c> on PATH, or null.</summary>
    public static string? FindPython3() => Candidates().FirstOrDefault();

    private static readonly Dictionary<string, Task<string?>> Probes = [];

    /// <summary>The first <c>python3</c> on PATH that can import every module in <paramref name="modules"/>, or null (probed once per module set).</summary>
    public static Task<string?> FindPython3WithAsync(params string[] modules)
    {
        var key = string.Join(',', modules);
        lock (Probes)
        {
            if (!Probes.TryGetValue(key, out var probe))
            {
                probe = ProbeAsync(modules);
                Probes[key] = probe;
            }

            return probe;
        }
    }

    private static async Task<string?> ProbeAsync(string[] modules)
    {
        foreach (var python in Candidates())
        {
            var probe = await RunAsync(python, Path.GetTempPath(), TimeSpan.FromSeconds(60), "-c", "import " + string.Join(", ", modules));
            if (probe.ExitCode == 0)
            {
                return python;
            }
        }

        return null;
    }

    public static async Task<Result> RunAsync(string python, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(python)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{python} {string.Join(' ', arguments)} ran longer than {timeout}");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    private static IEnumerable<string> Candidates() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "python3"))
            .Where(File.Exists)
            .Select(p => Path.GetFullPath(p))
            .Distinct();
}
