using System.Diagnostics;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Tokenization.Oracle;

/// <summary>
/// Google's SentencePiece through Debian's python3-sentencepiece (tests/tools/tokenizer-fixtures/spm_encode.py).
/// Tests that need it are ignored, with the reason, when /usr/bin/python3 or the module is missing; .ci/run installs it.
/// </summary>
internal static class SentencePieceOracle
{
    private const string Python = "/usr/bin/python3";

    /// <summary>The ids SentencePiece gives each string (no BOS/EOS).</summary>
    /// <param name="model">The .model file.</param>
    /// <param name="strings">The strings.</param>
    /// <returns>The ids and SentencePiece's version.</returns>
    public static (int[][] Ids, string Version) Encode(string model, IReadOnlyList<string> strings)
    {
        if (!File.Exists(Python) || Run(Python, "-c", "import sentencepiece").ExitCode != 0)
        {
            Assert.Ignore("Debian's python3-sentencepiece is not installed (apt-get install python3-sentencepiece; .ci/run does this)");
        }

        var dir = TestPaths.CreateTempDirectory("spm-oracle");
        try
        {
            var input = Path.Combine(dir, "strings.json");
            var output = Path.Combine(dir, "out.json");
            File.WriteAllText(input, JsonSerializer.Serialize(strings));
            var script = Path.Combine(TestPaths.RepositoryRoot, "tests", "tools", "tokenizer-fixtures", "spm_encode.py");
            var result = Run(Python, script, model, input, output);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"spm_encode.py failed ({result.ExitCode}): {result.Output}");
            }

            using var doc = JsonDocument.Parse(File.ReadAllText(output));
            var ids = doc.RootElement.GetProperty("ids").EnumerateArray().Select(a => a.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToArray();
            return (ids, doc.RootElement.GetProperty("version").GetString()!);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
