using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Tokenization.Oracle;

/// <summary>
/// Hugging Face's Rust <c>tokenizers</c> library through its Node bindings (tests/tools/tokenizer-oracle/oracle.js).
/// Tests that need it are ignored, with the reason, when node or the npm packages are missing
/// (<c>npm ci --prefix tests/tools/tokenizer-oracle</c>); .ci/run installs both.
/// </summary>
internal static class RustTokenizersOracle
{
    /// <summary>The oracle's folder.</summary>
    public static string ToolDirectory => Path.Combine(TestPaths.RepositoryRoot, "tests", "tools", "tokenizer-oracle");

    /// <summary>The installed npm packages.</summary>
    public static string NodeModules => Path.Combine(ToolDirectory, "node_modules");

    /// <summary>Ignores the current test unless node and the oracle's packages are installed.</summary>
    public static void RequireInstalled()
    {
        if (!Directory.Exists(Path.Combine(NodeModules, "tokenizers")))
        {
            Assert.Ignore($"the reference tokenizers library is not installed: run 'npm ci --prefix tests/tools/tokenizer-oracle' (needs node and npm); .ci/run does this");
        }

        if (FindNode() is null)
        {
            Assert.Ignore("node is not on PATH; the reference tokenizers library runs under node (.ci/run installs nodejs)");
        }
    }

    /// <summary>A path inside an installed npm package, or ignores the test when it is absent.</summary>
    /// <param name="relative">Path under node_modules.</param>
    /// <returns>The full path.</returns>
    public static string RequirePackageFile(string relative)
    {
        RequireInstalled();
        var path = Path.Combine(NodeModules, relative);
        if (!File.Exists(path))
        {
            Assert.Ignore($"{relative} is not installed: run 'npm ci --prefix tests/tools/tokenizer-oracle'");
        }

        return path;
    }

    /// <summary>Runs jobs in one node process.</summary>
    /// <param name="jobs">The jobs (see oracle.js for their shape).</param>
    /// <returns>Each job's outputs, in order.</returns>
    /// <exception cref="InvalidOperationException">node failed or a job reported an error.</exception>
    public static JsonArray[] Run(params JsonObject[] jobs)
    {
        RequireInstalled();
        var dir = TestPaths.CreateTempDirectory("tok-oracle");
        try
        {
            var requests = Path.Combine(dir, "requests.json");
            var output = Path.Combine(dir, "out.json");
            File.WriteAllText(requests, new JsonObject { ["jobs"] = new JsonArray(jobs) }.ToJsonString());
            var psi = new ProcessStartInfo(FindNode()!, [Path.Combine(ToolDirectory, "oracle.js"), requests, output])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("the tokenizers oracle did not finish in 10 minutes");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"the tokenizers oracle failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
            }

            var root = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
            var results = root["results"]!.AsArray();
            return results.Select((r, i) => r!["error"] is { } error
                ? throw new InvalidOperationException($"oracle job {i}: {error}")
                : r!["outputs"]!.AsArray()).ToArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The reference ids of each string.</summary>
    /// <param name="tokenizerJson">The tokenizer.json path.</param>
    /// <param name="strings">The strings.</param>
    /// <param name="addSpecialTokens">Whether the post-processor adds its tokens.</param>
    /// <returns>One id list per string.</returns>
    public static int[][] Encode(string tokenizerJson, IReadOnlyList<string> strings, bool addSpecialTokens)
        => Run(EncodeJob(tokenizerJson, strings, addSpecialTokens))[0].Select(ToInts).ToArray();

    /// <summary>An encode job.</summary>
    /// <param name="tokenizerJson">The tokenizer.json path.</param>
    /// <param name="strings">The strings.</param>
    /// <param name="addSpecialTokens">Whether the post-processor adds its tokens.</param>
    /// <returns>The job.</returns>
    public static JsonObject EncodeJob(string tokenizerJson, IReadOnlyList<string> strings, bool addSpecialTokens) => new()
    {
        ["tokenizer"] = tokenizerJson,
        ["op"] = "encode",
        ["strings"] = new JsonArray(strings.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        ["addSpecialTokens"] = addSpecialTokens,
    };

    /// <summary>Converts a JSON array of numbers.</summary>
    /// <param name="node">The array.</param>
    /// <returns>The ints.</returns>
    public static int[] ToInts(JsonNode? node) => node!.AsArray().Select(x => x!.GetValue<int>()).ToArray();

    private static string? FindNode()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "node");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
