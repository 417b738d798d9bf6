namespace Mlrb.Docs.Tests;

/// <summary>The checker itself: it must catch drift, missing files, unmarked blocks and dangling markers.</summary>
public sealed class SnippetCheckerTests
{
    private const string File = "class A\n{\n}\n";

    private static string? Read(string path) => path == "samples/A.cs" ? File : null;

    [Test]
    public void A_block_identical_to_its_file_passes()
    {
        var page = "# A\n\n<!-- snippet: samples/A.cs -->\n```csharp\nclass A\n{\n}\n```\n\n```bash\nls\n```\n";
        Assert.That(SnippetChecker.Check("docs/a.md", page, Read), Is.Empty);
    }

    [Test]
    public void Windows_line_endings_do_not_count_as_drift()
    {
        var page = "<!-- snippet: samples/A.cs -->\r\n```cs\r\nclass A\r\n{\r\n}\r\n```\r\n";
        Assert.That(SnippetChecker.Check("docs/a.md", page, Read), Is.Empty);
    }

    [Test]
    public void A_changed_line_is_reported_with_page_line_and_file_line()
    {
        var page = "intro\n<!-- snippet: samples/A.cs -->\n```csharp\nclass A\n{\n  int x;\n}\n```\n";
        Assert.That(SnippetChecker.Check("docs/a.md", page, Read), Is.EqualTo(new[]
        {
            "docs/a.md:3: the C# block differs from samples/A.cs at line 3 of the file; copy the file into the page again",
        }));
    }

    [Test]
    public void A_missing_file_an_unmarked_block_and_a_dangling_marker_are_reported()
    {
        var page = "<!-- snippet: samples/Gone.cs -->\n```csharp\nx\n```\n```csharp\ny\n```\n<!-- snippet: samples/A.cs -->\ntext\n";
        var problems = SnippetChecker.Check("docs/b.md", page, Read);
        Assert.That(problems, Has.Count.EqualTo(3));
        Assert.That(problems[0], Does.StartWith("docs/b.md:1: the snippet file samples/Gone.cs does not exist"));
        Assert.That(problems[1], Does.StartWith("docs/b.md:5: a C# block without a `<!-- snippet:"));
        Assert.That(problems[2], Does.StartWith("docs/b.md:8: the snippet marker for samples/A.cs is not followed by a C# block"));
    }

    [Test]
    public void An_unmarked_block_is_always_a_problem()
    {
        var problems = SnippetChecker.Check("docs/c.md", "```csharp\nvar x = 1;\n```\n", Read);
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("docs/c.md:1: a C# block without a `<!-- snippet:"));
    }
}
