using System.CommandLine;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>--dtype</c> on <c>mlrb score</c>.</summary>
public class DTypeOptionTests
{
    private static string Model(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", name);

    [Test]
    public void Bf16_ScoresCloseToFp32_AndAnUnknownDTypeIsAOneLineError()
    {
        string[] request = ["score", "--model", Model("tiny-gpt2"), "--context-tokens", "5,9,14,2,33", "--continuation-tokens", "7,8,21", "--json"];

        var (code32, out32, err32) = CliInvoker.Run(request);
        var (code16, out16, err16) = CliInvoker.Run([.. request, "--dtype", "bf16"]);
        var (codeBad, _, errBad) = CliInvoker.Run([.. request, "--dtype", "fp8"]);

        Assert.That(code32, Is.Zero, err32);
        Assert.That(code16, Is.Zero, err16);
        var ll32 = JsonDocument.Parse(out32).RootElement.GetProperty("loglikelihood").GetDouble();
        var ll16 = JsonDocument.Parse(out16).RootElement.GetProperty("loglikelihood").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(ll16, Is.EqualTo(ll32).Within((0.05 * Math.Abs(ll32)) + 0.5));
            Assert.That(ll16, Is.Not.EqualTo(ll32));
            Assert.That(codeBad, Is.EqualTo(1));
            Assert.That(errBad, Does.Contain("use fp32 or bf16"));
            Assert.That(errBad.Trim().Split('\n'), Has.Length.EqualTo(1));
        });
    }
}
