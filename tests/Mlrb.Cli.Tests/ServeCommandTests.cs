using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

public class ServeCommandTests
{
    private static readonly string Model = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");

    [Test]
    public void NonLoopbackHost_WithoutApiKey_ExitsTwo_SayingWhy()
    {
        var (code, _, err) = CliInvoker.Run("serve", "--model", Model, "--host", "0.0.0.0", "--port", "0");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--api-key"));
    }

    [Test]
    public void MissingModelFolder_ExitsOne_WithOneLine()
    {
        var (code, _, err) = CliInvoker.Run("serve", "--model", Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N")), "--port", "0");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    /// <summary>The real process: it prints its address, answers /v1/models and /v1/completions, and exits 0 on SIGTERM.</summary>
    [Test]
    public async Task Process_Serves_ThenStopsOnSigterm()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "mlrb.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "serve", "--model", Model, "--port", "0", "--served-model-name", "tiny" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(line, Does.Match("'tiny' at http://127.0.0.1:[0-9]+/v1/"), await Task.FromResult(line ?? "no output"));
            var address = new Uri(line!.Split(" at ")[1].Split(' ')[0]);
            using var http = new HttpClient();
            var models = JsonNode.Parse(await http.GetStringAsync(new Uri(address, "models")))!;
            Assert.That((string)models["data"]![0]!["id"]!, Is.EqualTo("tiny"));
            using var response = await http.PostAsync(new Uri(address, "completions"), new StringContent("""{"model":"tiny","prompt":"a b","max_tokens":3,"temperature":0}"""));
            Assert.That((int)response.StatusCode, Is.EqualTo(200));

            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(process.ExitCode, Is.Zero);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
