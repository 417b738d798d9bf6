using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Cli.Tests.Run;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Hostile;

/// <summary>Data rows that are huge or not UTF-8 are bad rows with their line numbers; memory stays bounded.</summary>
public class DataRowTests
{
    private const string GoodRow = "{\"sentence_good\": \"The cat sleeps.\", \"sentence_bad\": \"The cat sleep.\"}";
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-rows");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string BlimpFile() => Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "data", "blimp")).FullName, "anaphor_gender_agreement.jsonl");

    [Test]
    public async Task InvalidUtf8_IsABadRow_WithItsLine()
    {
        var file = BlimpFile();
        using (var stream = File.Create(file))
        {
            stream.Write(Encoding.UTF8.GetBytes(GoodRow + "\n"));
            stream.Write("{\"sentence_good\": \"caf"u8);
            stream.Write([0xC3, 0x28]); // invalid two-byte sequence
            stream.Write("\", \"sentence_bad\": \"x\"}\n"u8);
            stream.Write(Encoding.UTF8.GetBytes(GoodRow + "\n"));
        }

        var (code, output, error) = await HostileCli.RunAsync(
            "eval", "--benchmark", "blimp", "--model", HostileCli.ReferenceModel("tiny-gpt2"), "--data", Path.Combine(_dir, "data"), "--output", Path.Combine(_dir, "out"), "--json");

        Assert.That(code, Is.EqualTo(0), error);
        var skipped = JsonNode.Parse(output)!["data"]!["skipped_rows"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.That(skipped, Has.Count.EqualTo(1));
        Assert.That(skipped[0], Does.Contain("anaphor_gender_agreement.jsonl:2: not valid UTF-8"));
        Assert.That(JsonNode.Parse(output)!["subtasks"]![0]!["documents"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task RowOverTheLimit_IsABadRow_AndTheLimitIsConfigurable()
    {
        var longRow = "{\"sentence_good\": \"" + new string('a', 5000) + "\", \"sentence_bad\": \"b\"}";
        File.WriteAllText(BlimpFile(), GoodRow + "\n" + longRow + "\n" + GoodRow + "\n");

        var (code, output, error) = await HostileCli.RunAsync(
            "eval", "--benchmark", "blimp", "--model", HostileCli.ReferenceModel("tiny-gpt2"), "--data", Path.Combine(_dir, "data"),
            "--output", Path.Combine(_dir, "out"), "--max-row-bytes", "1000", "--json");

        Assert.That(code, Is.EqualTo(0), error);
        var skipped = JsonNode.Parse(output)!["data"]!["skipped_rows"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.That(skipped, Is.EqualTo(new[] { string.Create(CultureInfo.InvariantCulture, $"{BlimpFile()}:2: row is {longRow.Length:N0} bytes, over the 1,000-byte row limit (--max-row-bytes); skipped") }));
    }

    [Test]
    public async Task A200MegabyteRow_IsABadRow_AndPeakMemoryStaysUnder1GB()
    {
        var file = BlimpFile();
        using (var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            stream.Write(Encoding.UTF8.GetBytes(GoodRow + "\n{\"sentence_good\": \""));
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'a');
            for (var i = 0; i < 200; i++)
            {
                stream.Write(chunk);
            }

            stream.Write(Encoding.UTF8.GetBytes("\", \"sentence_bad\": \"b\"}\n" + GoodRow + "\n"));
        }

        // A real process, so the peak resident memory it reports (VmHWM) is the evaluation's alone.
        using var cli = new CliProcess(
            "eval", "--benchmark", "blimp", "--model", HostileCli.ReferenceModel("tiny-gpt2"), "--data", Path.Combine(_dir, "data"), "--output", Path.Combine(_dir, "out"), "--json");
        var code = await cli.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.That(code, Is.EqualTo(0), cli.Stderr);
        var report = JsonNode.Parse(cli.Stdout)!;
        var skipped = report["data"]!["skipped_rows"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.That(skipped, Has.Count.EqualTo(1));
        Assert.That(skipped[0], Does.Contain(":2: row is 209,715,").And.Contain("row limit"));
        var peak = report["statistics"]!["peak_process_memory_bytes"]!.GetValue<long>();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS with a 200 MB row: {peak / (1 << 20)} MiB"));
        Assert.That(peak, Is.GreaterThan(0).And.LessThan(1L << 30));
    }
}
