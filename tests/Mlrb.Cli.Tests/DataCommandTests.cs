using System.CommandLine;
using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

public class DataCommandTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-cli-data");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Describe_PrintsTheLayout_AndSaysDownloadNeedsNetwork()
    {
        var (code, stdout, _) = CliInvoker.Run("data", "describe");
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Does.Contain("mmlu/test/<subject>_test.csv").And.Contain("needs network access").And.Contain("hendrycks/data.tar"));
    }

    [Test]
    public void Verify_CountsDocuments_AndReportsBadRowsWithTheirLine()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "blimp"));
        File.WriteAllLines(Path.Combine(_dir, "blimp", "passive_1.jsonl"), ["{\"sentence_good\": \"a\", \"sentence_bad\": \"b\"}", "{oops", "{\"sentence_good\": \"c\", \"sentence_bad\": \"d\"}"]);
        var (code, stdout, _) = CliInvoker.Run("data", "verify", "--dir", _dir, "--json");
        Assert.That(code, Is.EqualTo(2));
        using var json = JsonDocument.Parse(stdout);
        var blimp = json.RootElement.EnumerateArray().Single(e => e.GetProperty("benchmark").GetString() == "blimp");
        Assert.That(blimp.GetProperty("present_subtasks").GetInt32(), Is.EqualTo(1));
        Assert.That(blimp.GetProperty("documents").GetInt32(), Is.EqualTo(2));
        Assert.That(blimp.GetProperty("missing_subtasks").GetArrayLength(), Is.EqualTo(66));
        Assert.That(blimp.GetProperty("issues")[0].GetString(), Does.Contain("passive_1.jsonl:2"));
    }

    [Test]
    public async Task Download_Mmlu_FromALoopbackMirror_UnpacksTheTar()
    {
        using var tarBytes = new MemoryStream();
        using (var tar = new TarWriter(tarBytes, leaveOpen: true))
        {
            foreach (var (name, text) in new[] { ("data/dev/anatomy_dev.csv", "q,a,b,c,d,A\n"), ("data/test/anatomy_test.csv", "q1,a,b,c,d,B\nq2,a,b,c,d,C\n") })
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
                tar.WriteEntry(entry);
            }
        }

        var body = tarBytes.ToArray();
        await using var server = new LoopbackHttpServer(async (req, res) =>
        {
            res.StatusCode = req.Url.AbsolutePath == "/mmlu/data.tar" ? 200 : 404;
            var payload = res.StatusCode == 200 ? body : [];
            res.ContentLength64 = payload.Length;
            await res.OutputStream.WriteAsync(payload);
            res.Close();
        });
        var data = Path.Combine(_dir, "data");
        var (code, stdout, stderr) = CliInvoker.Run("data", "download", "mmlu", "--dir", data, "--mirror", server.BaseAddress.ToString());
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("mmlu/data.tar  sha256 "));
        Assert.That(File.ReadAllText(Path.Combine(data, "mmlu", "test", "anatomy_test.csv")), Does.StartWith("q1,"));

        var verify = CliInvoker.Run("data", "verify", "--dir", data, "--json");
        using var json = JsonDocument.Parse(verify.Out);
        Assert.That(json.RootElement.EnumerateArray().Single(e => e.GetProperty("benchmark").GetString() == "mmlu").GetProperty("documents").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public void Download_UnknownBenchmark_IsAOneLineError()
    {
        var (code, _, stderr) = CliInvoker.Run("data", "download", "glue", "--dir", _dir);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.Trim(), Is.EqualTo("mlrb data: unknown benchmark 'glue'; use blimp, superglue or mmlu."));
    }
}
