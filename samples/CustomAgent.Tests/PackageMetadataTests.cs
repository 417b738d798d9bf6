using System.IO.Compression;
using System.Xml.Linq;

namespace CustomAgent.Tests;

/// <summary>
/// Inspects the packages `dotnet pack` put in artifacts/feed: one per project under src/, each with its README,
/// MIT licence expression, repository link, XML docs next to its dll, symbols, and a dependency with a lower bound for
/// every PackageReference and ProjectReference of its project file.
/// </summary>
public sealed class PackageMetadataTests
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    public static IEnumerable<string> Libraries() => Projects().Where(p => !IsTool(p));

    public static IEnumerable<string> Tools() => Projects().Where(IsTool);

    private static IEnumerable<string> Projects() =>
        Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!;

    private static bool IsTool(string project) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", project, project + ".csproj"))
            .Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal);

    [Test]
    public void The_cli_is_packed_as_a_tool()
    {
        Assert.That(Tools(), Is.EquivalentTo(new[] { "Mlrb.Cli" }));
    }

    [TestCaseSource(nameof(Tools))]
    public void The_tool_package_carries_readme_licence_repository_and_the_command(string tool)
    {
        var root = RepositoryPaths.Root;
        var version = First(XDocument.Load(Path.Combine(root, "Directory.Build.props")), "Version");
        var package = Path.Combine(root, "artifacts", "feed", $"{tool}.{version}.nupkg");
        Assert.That(package, Does.Exist, $"run `dotnet pack src/{tool} -c Release -o artifacts/feed` first");

        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        var nuspecEntry = zip.GetEntry($"{tool}.nuspec");
        Assert.That(nuspecEntry, Is.Not.Null, $"{tool}.nuspec in the package");
        var nuspec = XDocument.Load(nuspecEntry!.Open());
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        string? Meta(string name) => metadata.Element(ns + name)?.Value;
        var project = XDocument.Load(Path.Combine(root, "src", tool, tool + ".csproj"));
        var settings = zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Meta("id"), Is.EqualTo(tool));
            Assert.That(Meta("version"), Is.EqualTo(version));
            Assert.That(Meta("description"), Is.EqualTo(First(project, "Description")).And.Not.Empty);
            Assert.That(metadata.Element(ns + "license")?.Value, Is.EqualTo("MIT"));
            Assert.That(metadata.Element(ns + "repository")?.Attribute("url")?.Value, Does.StartWith("https://"));
            Assert.That(Meta("readme"), Is.EqualTo("README.md"));
            Assert.That(entries, Does.Contain("README.md"));
            Assert.That(metadata.Descendants(ns + "packageType").Select(t => t.Attribute("name")?.Value), Does.Contain("DotnetTool"));
            Assert.That(entries, Does.Contain($"tools/net10.0/any/{First(project, "AssemblyName")}.dll"));
            Assert.That(settings, Is.Not.Null, "DotnetToolSettings.xml");
            if (settings is not null)
            {
                var command = XDocument.Load(settings.Open()).Descendants("Command").Single();
                Assert.That(command.Attribute("Name")?.Value, Is.EqualTo(First(project, "ToolCommandName")));
            }
        }
    }

    [Test]
    public void Every_library_under_src_is_checked()
    {
        Assert.That(Libraries(), Is.SupersetOf(new[] { "Mlrb.Tasks", "Mlrb.Tools" }));
    }

    [TestCaseSource(nameof(Libraries))]
    public void The_package_carries_readme_licence_repository_docs_and_dependency_ranges(string library)
    {
        var root = RepositoryPaths.Root;
        var props = XDocument.Load(Path.Combine(root, "Directory.Build.props"));
        var version = First(props, "Version");
        var package = Path.Combine(root, "artifacts", "feed", $"{library}.{version}.nupkg");
        Assert.That(package, Does.Exist, $"run `dotnet pack src/{library} -c Release -o artifacts/feed` first");

        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        var nuspec = XDocument.Load(zip.GetEntry($"{library}.nuspec")!.Open());
        var metadata = nuspec.Root!.Element(Nuspec + "metadata")!;
        string? Meta(string name) => metadata.Element(Nuspec + name)?.Value;
        var project = XDocument.Load(Path.Combine(root, "src", library, library + ".csproj"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Meta("id"), Is.EqualTo(library));
            Assert.That(Meta("version"), Is.EqualTo(version));
            Assert.That(Meta("description"), Is.EqualTo(First(project, "Description")).And.Not.Empty, "the csproj's Description");
            Assert.That(Meta("authors"), Is.Not.Empty);

            // Licence: an SPDX expression, not a URL or a file.
            var license = metadata.Element(Nuspec + "license");
            Assert.That(license?.Attribute("type")?.Value, Is.EqualTo("expression"));
            Assert.That(license?.Value, Is.EqualTo("MIT"));

            // Repository and project links.
            var repository = metadata.Element(Nuspec + "repository");
            Assert.That(repository?.Attribute("type")?.Value, Is.EqualTo("git"));
            Assert.That(repository?.Attribute("url")?.Value, Is.EqualTo(First(props, "RepositoryUrl")).And.StartsWith("https://"));
            Assert.That(Meta("projectUrl"), Does.StartWith("https://"));

            // README: packed at the root, the same text as src/<library>/README.md, and more than a title.
            Assert.That(Meta("readme"), Is.EqualTo("README.md"));
            Assert.That(entries, Does.Contain("README.md"));
            if (zip.GetEntry("README.md") is { } readmeEntry)
            {
                using var reader = new StreamReader(readmeEntry.Open());
                var readme = reader.ReadToEnd();
                Assert.That(readme, Is.EqualTo(File.ReadAllText(Path.Combine(root, "src", library, "README.md"))));
                Assert.That(readme.Split('\n').Count(l => l.Trim().Length > 0 && !l.StartsWith('#')), Is.GreaterThanOrEqualTo(3), "README.md says what the package is and how to use it");
            }

            // The assembly with its XML documentation and symbols.
            Assert.That(entries, Does.Contain($"lib/net10.0/{library}.dll"));
            Assert.That(entries, Does.Contain($"lib/net10.0/{library}.xml"), "GenerateDocumentationFile must be on for src/ projects");
            if (zip.GetEntry($"lib/net10.0/{library}.xml") is { } docsEntry)
            {
                var docs = XDocument.Load(docsEntry.Open());
                Assert.That(docs.Root!.Element("assembly")?.Element("name")?.Value, Is.EqualTo(library));
                Assert.That(docs.Descendants("member").Count(m => m.Attribute("name")!.Value.StartsWith("T:", StringComparison.Ordinal)), Is.GreaterThan(0), "documented types");
            }

            Assert.That(Path.ChangeExtension(package, ".snupkg"), Does.Exist, "symbols package");
        }

        AssertDependencies(root, library, project, metadata, version);
    }

    private static void AssertDependencies(string root, string library, XDocument project, XElement metadata, string version)
    {
        var central = XDocument.Load(Path.Combine(root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value, StringComparer.OrdinalIgnoreCase);
        var expected = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var reference in project.Descendants("PackageReference"))
        {
            var id = reference.Attribute("Include")!.Value;
            var privateAssets = reference.Attribute("PrivateAssets")?.Value ?? reference.Element("PrivateAssets")?.Value;
            if (!string.Equals(privateAssets, "all", StringComparison.OrdinalIgnoreCase))
            {
                expected[id] = reference.Attribute("Version")?.Value ?? reference.Attribute("VersionOverride")?.Value ?? central[id];
            }
        }

        foreach (var reference in project.Descendants("ProjectReference"))
        {
            expected[Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/'))] = version;
        }

        var group = metadata.Element(Nuspec + "dependencies")?.Elements(Nuspec + "group")
            .SingleOrDefault(g => g.Attribute("targetFramework")?.Value is "net10.0" or ".NETCoreApp10.0");
        var actual = (group?.Elements(Nuspec + "dependency") ?? [])
            .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")?.Value ?? "", StringComparer.OrdinalIgnoreCase);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(group, Is.Not.Null, $"{library}: no net10.0 dependency group");
            Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys), $"{library}: nuspec dependencies vs the csproj's references");
            foreach (var (id, wanted) in expected)
            {
                if (actual.TryGetValue(id, out var range))
                {
                    Assert.That(LowerBound(range), Is.EqualTo((wanted, true)), $"{library} -> {id}: range '{range}' must start at {wanted} inclusive");
                }
            }
        }
    }

    /// <summary>The lower bound of a NuGet range: "1.2" and "[1.2, 2)" are inclusive, "(1.2, )" is not.</summary>
    private static (string Version, bool Inclusive) LowerBound(string range)
    {
        if (range.Length == 0)
        {
            return ("", false);
        }

        if (range[0] is '[' or '(')
        {
            var low = range[1..].Split(',')[0].Trim().TrimEnd(']', ')');
            return (low, range[0] == '[');
        }

        return (range, true);
    }

    private static string First(XDocument document, string name) =>
        document.Descendants(name).FirstOrDefault()?.Value ?? throw new InvalidOperationException($"<{name}> is missing from {document.BaseUri}");
}
