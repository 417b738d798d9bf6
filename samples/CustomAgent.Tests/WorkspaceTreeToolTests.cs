using Microsoft.Extensions.AI;

namespace CustomAgent.Tests;

public sealed class WorkspaceTreeToolTests
{
    [Test]
    public async Task Lists_files_with_sizes_sorted_and_skips_links_out_of_the_workspace()
    {
        using var temp = new TempFolder();
        var workspace = temp.Combine("ws");
        Directory.CreateDirectory(Path.Combine(workspace, "data"));
        File.WriteAllText(Path.Combine(workspace, "b.txt"), "12345");
        File.WriteAllText(Path.Combine(workspace, "data", "a.csv"), "x,y\n");
        File.WriteAllText(temp.Combine("secret.txt"), "outside");
        Directory.CreateSymbolicLink(Path.Combine(workspace, "escape"), temp.Path);

        var function = new WorkspaceTreeTool(workspace).AsAIFunction();
        var text = (await function.InvokeAsync(new AIFunctionArguments { ["path"] = "." }))!.ToString()!;

        Assert.That(function.Name, Is.EqualTo("list_workspace"));
        Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()), Is.EqualTo(new[] { "5  b.txt", "4  data/a.csv" }));
        Assert.That(text, Does.Not.Contain("secret"));
    }

    [TestCase("..")]
    [TestCase("../..")]
    [TestCase("/etc")]
    public void Refuses_folders_outside_the_workspace(string path)
    {
        using var temp = new TempFolder();
        Assert.That(new WorkspaceTreeTool(temp.Path).List(path), Does.StartWith("list_workspace: ").And.Contain("outside the working directory"));
    }

    [Test]
    public void Refuses_a_link_even_when_it_points_inside_the_workspace_tree()
    {
        using var temp = new TempFolder();
        Directory.CreateSymbolicLink(temp.Combine("up"), Path.GetTempPath());
        Assert.That(new WorkspaceTreeTool(temp.Path).List("up"), Does.Contain("is a link"));
    }

    [Test]
    public void Caps_the_listing_at_200_files()
    {
        using var temp = new TempFolder();
        for (var i = 0; i < 250; i++)
        {
            File.WriteAllText(temp.Combine($"f{i:D3}.txt"), "");
        }

        var lines = new WorkspaceTreeTool(temp.Path).List(".").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(201));
        Assert.That(lines[^1], Does.Contain("more than 200 files"));
    }
}
