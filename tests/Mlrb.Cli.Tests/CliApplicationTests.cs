namespace Mlrb.Cli.Tests;

public class CliApplicationTests
{
    [Test]
    public void Root_HasEveryVerbOfTheCliContract()
    {
        var root = CliApplication.BuildRoot();
        var verbs = root.Subcommands.Select(c => c.Name).ToHashSet();
        Assert.That(verbs, Is.SupersetOf(new[] { "tasks", "run", "eval", "score", "tokenize", "stats", "mcp" }));
    }

    [Test]
    public async Task EveryVerb_IsListedByHelp_AndInTheReadmesCommandTable()
    {
        var verbs = CliApplication.BuildRoot().Subcommands.Select(c => c.Name).ToList();
        using var help = new Run.CliProcess("--help");
        Assert.That(await help.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, help.Stderr);
        var readme = await File.ReadAllTextAsync(Path.Combine(Mlrb.Testing.TestPaths.RepositoryRoot, "README.md"));

        Assert.That(verbs, Is.SupersetOf(new[] { "results", "bench" }));
        Assert.Multiple(() =>
        {
            foreach (var verb in verbs)
            {
                Assert.That(help.Stdout, Does.Match($@"(?m)^\s+{verb}\b"), $"mlrb --help lists {verb}");
                Assert.That(readme, Does.Contain($"| `mlrb {verb}"), $"the README's command table has {verb}");
            }
        });
    }
}
