using System.CommandLine;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Hostile;

/// <summary>Runs the CLI in-process on hostile input and checks the clean-failure contract: one line on stderr, no stack trace.</summary>
internal static class HostileCli
{
    public static string ReferenceModel(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", name);

    public static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => CliInvoker.RunAsync(args);

    /// <summary>Asserts a non-zero exit with exactly one error line (no stack trace) that contains <paramref name="expected"/>.</summary>
    public static void AssertOneLineError((int Code, string Out, string Err) result, string expected)
    {
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('[') || !l.Contains('%', StringComparison.Ordinal)) // progress bar frames
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.Not.EqualTo(0), "exit code; stderr: " + result.Err);
            Assert.That(lines, Has.Count.EqualTo(1), "stderr should be one line:\n" + result.Err);
            Assert.That(result.Err, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace or exception type");
            Assert.That(result.Err, Does.Contain(expected));
        });
    }

    /// <summary>Copies a reference model into a temporary folder.</summary>
    public static string CopyModel(string name, string into)
    {
        var target = Path.Combine(into, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(ReferenceModel(name)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
