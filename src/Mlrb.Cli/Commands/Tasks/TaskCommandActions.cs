using System.CommandLine;
using System.Text.Json.Nodes;
using Mlrb.Tasks;

namespace Mlrb.Cli.Commands.Tasks;

/// <summary>What <c>mlrb tasks list</c> and <c>mlrb tasks show</c> do.</summary>
internal static class TaskCommandActions
{
    private const int Ok = 0;
    private const int Failed = 1;

    public static int List(ParseResult parse, string benchmark, bool json, IReadOnlyList<string> taskDirs)
    {
        var output = parse.InvocationConfiguration.Output;
        if (!TryLoadCatalog(parse, "list", taskDirs, out var catalog))
        {
            return Failed;
        }

        IReadOnlyList<ResearchTask> tasks = benchmark switch
        {
            "mini" => catalog.List(BenchmarkSuite.Mini),
            "all" => catalog.Tasks,
            _ => catalog.List(BenchmarkSuite.Full),
        };

        if (json)
        {
            output.WriteLine(TaskFile.ToJson(tasks));
        }
        else
        {
            TaskListView.Write(output, tasks, benchmark);
        }

        return Ok;
    }

    public static int Show(ParseResult parse, string name, string? workdir, bool json, IReadOnlyList<string> taskDirs)
    {
        var output = parse.InvocationConfiguration.Output;
        if (!TryLoadCatalog(parse, "show", taskDirs, out var catalog))
        {
            return Failed;
        }

        if (!catalog.TryGet(name, out var task))
        {
            parse.InvocationConfiguration.Error.WriteLine($"mlrb tasks show: unknown task '{name}'. Known tasks: {string.Join(", ", catalog.Tasks.Select(t => t.Name))}.");
            return Failed;
        }

        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(workdir) ? Environment.CurrentDirectory : workdir);
        var prompt = new PromptRenderer().RenderTaskPrompt(task, new PromptContext { WorkingDirectory = directory });
        if (json)
        {
            var node = new JsonObject
            {
                ["task"] = JsonNode.Parse(TaskFile.ToJson(task)),
                ["working_directory"] = directory,
                ["task_prompt"] = prompt,
            };
            output.WriteLine(node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            TaskDetailsView.Write(output, task, directory, prompt);
        }

        return Ok;
    }

    private static bool TryLoadCatalog(ParseResult parse, string verb, IReadOnlyList<string> taskDirs, out ITaskCatalog catalog)
    {
        try
        {
            catalog = TaskCatalog.WithTaskDirectories(taskDirs);
            return true;
        }
        catch (Exception ex) when (ex is TaskFileException or DirectoryNotFoundException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"mlrb tasks {verb}: {ex.Message}");
            catalog = TaskCatalog.Builtin;
            return false;
        }
    }
}
