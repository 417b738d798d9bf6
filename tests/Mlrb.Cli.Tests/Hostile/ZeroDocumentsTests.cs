using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Hostile;

/// <summary>An evaluation that scores nothing is an error that says why, never an empty success.</summary>
public class ZeroDocumentsTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-zerodocs");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private async Task<(int Code, string Out, string Err)> EvalAsync(string data)
        => await HostileCli.RunAsync(
            "eval", "--benchmark", "blimp", "--model", HostileCli.ReferenceModel("tiny-gpt2"), "--data", data, "--output", Path.Combine(_dir, "out"), "--json");

    [Test]
    public async Task EveryRowBad_IsAnError_NamingTheFirstBadRow()
    {
        var blimp = Directory.CreateDirectory(Path.Combine(_dir, "data", "blimp")).FullName;
        File.WriteAllText(Path.Combine(blimp, "anaphor_gender_agreement.jsonl"), "{\"sentence_good\": 1}\nnot json\n");

        var result = await EvalAsync(Path.Combine(_dir, "data"));

        HostileCli.AssertOneLineError(result, "no document was scored");
        Assert.That(result.Err, Does.Contain("bad rows skipped").And.Contain("anaphor_gender_agreement.jsonl:1"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "out")) ? Directory.GetFiles(Path.Combine(_dir, "out"), "*.json") : [], Is.Empty);
    }

    [Test]
    public async Task EveryFileEmpty_IsAnError()
    {
        var blimp = Directory.CreateDirectory(Path.Combine(_dir, "data", "blimp")).FullName;
        File.WriteAllText(Path.Combine(blimp, "anaphor_gender_agreement.jsonl"), "");
        File.WriteAllText(Path.Combine(blimp, "passive_1.jsonl"), "\n\n");

        var result = await EvalAsync(Path.Combine(_dir, "data"));

        HostileCli.AssertOneLineError(result, "no document was scored");
    }
}
