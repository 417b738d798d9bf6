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
}
