using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Mlrb.Tools;

namespace DocsExamples;

/// <summary>docs/tools.md: configure the tools and bind them to one run's workspace.</summary>
public static class ToolsSetupExample
{
    public static (IReadOnlyList<AIFunction> Functions, IReadOnlyList<ITool> Tools) Create(string? gitHubToken, DateTimeOffset start)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddMlrbTools(o =>
            {
                o.DefaultProcessTimeout = TimeSpan.FromMinutes(15);
                o.AllowNetwork = true;              // false needs bubblewrap
                o.GitHubToken = gitHubToken;        // optional; never reaches tool processes
            })
            .BuildServiceProvider();

        var factory = services.GetRequiredService<IToolFactory>();
        var context = new ToolContext { WorkspacePath = "/runs/42", RunId = "42", Deadline = start + TimeSpan.FromHours(24) };

        IReadOnlyList<AIFunction> functions = factory.CreateAIFunctions(context);   // for ChatOptions.Tools
        IReadOnlyList<ITool> tools = factory.CreateTools(context);                  // typed results
        return (functions, tools);
    }
}
