using System.CommandLine;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

[NonParallelizable]
public class StatsCommandTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-cli-stats");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Json_CountsTheHandWrittenWeights()
    {
        // F16 [3]: 0, 1.0, 0 -> 3 parameters, 1 non-zero; 6 bytes.
        var header = "{\"b\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]}}"u8.ToArray();
        using (var f = File.Create(Path.Combine(_dir, "model.safetensors")))
        {
            f.Write(BitConverter.GetBytes((long)header.Length));
            f.Write(header);
            f.Write([0, 0, 0x00, 0x3C, 0, 0]);
        }

        var (code, stdout, stderr) = CliInvoker.Run("stats", "--model", _dir, "--json", "--no-forward");
        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("total_parameters").GetInt64(), Is.EqualTo(3));
        Assert.That(json.RootElement.GetProperty("non_zero_parameters").GetInt64(), Is.EqualTo(1));
        Assert.That(json.RootElement.GetProperty("weight_bytes").GetInt64(), Is.EqualTo(6));
        Assert.That(json.RootElement.GetProperty("dtypes").GetProperty("F16").GetInt64(), Is.EqualTo(3));
    }

    [Test]
    public void FolderWithoutWeights_IsAOneLineError()
    {
        var (code, _, stderr) = CliInvoker.Run("stats", "--model", _dir);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.Trim(), Does.StartWith("mlrb stats: ").And.Contain("no *.safetensors"));
    }
}
