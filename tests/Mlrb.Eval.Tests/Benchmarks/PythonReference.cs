using System.Diagnostics;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Benchmarks;

/// <summary>Runs a reference script with Debian's Python (/usr/bin/python3); the test is ignored when Python or a module is absent.</summary>
internal static class PythonReference
{
    public static string Run(string script, string stdin, params string[] modules)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            Assert.Ignore($"{python} is not installed (CI installs it).");
        }

        var probe = Start(python, ["-c", "import " + string.Join(", ", modules.DefaultIfEmpty("sys"))]);
        probe.StandardInput.Close();
        probe.WaitForExit(60_000);
        if (probe.ExitCode != 0)
        {
            Assert.Ignore($"{python} lacks {string.Join(", ", modules)} (CI installs python3-nltk and python3-jinja2).");
        }

        var path = Path.Combine(TestPaths.RepositoryRoot, "tests", "Mlrb.Eval.Tests", "Vectors", script);
        using var process = Start(python, [path]);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish in 120 s");
        }

        Assert.That(process.ExitCode, Is.Zero, error.Result);
        return output.Result;
    }

    private static Process Start(string file, string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start)!;
    }
}
