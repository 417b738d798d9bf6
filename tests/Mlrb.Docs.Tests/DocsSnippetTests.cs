namespace Mlrb.Docs.Tests;

/// <summary>Every C# example in docs/ is a compiled file of samples/DocsExamples, copied verbatim.</summary>
public sealed class DocsSnippetTests
{
    private static string Root => RepositoryRoot.Path;

    public static IEnumerable<string> Pages() =>
        Directory.EnumerateFiles(System.IO.Path.Combine(RepositoryRoot.Path, "docs"), "*.md", SearchOption.AllDirectories)
            .Select(p => System.IO.Path.GetRelativePath(RepositoryRoot.Path, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Pages))]
    public void Each_CSharp_block_is_identical_to_the_file_it_names(string page)
    {
        var problems = SnippetChecker.Check(page, File.ReadAllText(System.IO.Path.Combine(Root, page)), Read);
        Assert.That(problems, Is.Empty, string.Join('\n', problems));
    }

    [Test]
    public void Every_package_has_a_page_with_a_compiled_example()
    {
        var packages = Directory.GetDirectories(System.IO.Path.Combine(Root, "src")).Select(System.IO.Path.GetFileName).ToList();
        Assert.That(packages, Is.Not.Empty);
        foreach (var package in packages)
        {
            var page = System.IO.Path.Combine(Root, "docs", "packages", package + ".md");
            Assert.That(page, Does.Exist, $"docs/packages/{package}.md");
            if (IsTool(package!))
            {
                // A .NET tool has no API to show in C#: its page shows how to install and run it.
                Assert.That(File.ReadAllText(page), Does.Contain("dotnet tool install"), $"docs/packages/{package}.md does not say how to install the tool");
                continue;
            }

            Assert.That(SnippetChecker.SnippetPaths(File.ReadAllText(page)), Is.Not.Empty, $"docs/packages/{package}.md shows no compiled example");
        }
    }

    [Test]
    public void Every_example_file_is_shown_on_some_page()
    {
        var shown = Pages().SelectMany(p => SnippetChecker.SnippetPaths(File.ReadAllText(System.IO.Path.Combine(Root, p)))).ToHashSet(StringComparer.Ordinal);
        var examples = Directory.EnumerateFiles(System.IO.Path.Combine(Root, "samples", "DocsExamples"), "*.cs")
            .Select(p => System.IO.Path.GetRelativePath(Root, p).Replace('\\', '/'));
        Assert.That(examples.Where(e => !shown.Contains(e)), Is.Empty, "example files no page shows");
    }

    private static bool IsTool(string package)
    {
        var project = System.IO.Path.Combine(Root, "src", package, package + ".csproj");
        return File.Exists(project) && File.ReadAllText(project).Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal);
    }

    private static string? Read(string relative)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relative));
        return full.StartsWith(Root, StringComparison.Ordinal) && File.Exists(full) ? File.ReadAllText(full) : null;
    }
}
