using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Mlrb.Tools;

namespace DocsExamples;

/// <summary>Mlrb.Tools: the 17 tools bound to one workspace, as AIFunctions for a chat client or called directly.</summary>
public static class ToolsExample
{
    public static async Task<(ChatOptions Options, ToolResult Written, ToolResult Ran)> RunAsync(string workspace)
    {
        await using var services = new ServiceCollection()
            .AddMlrbTools(o =>
            {
                o.DefaultProcessTimeout = TimeSpan.FromMinutes(2);   // run_python / run_bash without a timeout
                o.MaxOutputChars = 8_000;                           // what a process returns to the model
            })
            .BuildServiceProvider();
        IToolFactory factory = services.GetRequiredService<IToolFactory>();
        var context = new ToolContext { WorkspacePath = workspace, Deadline = DateTimeOffset.UtcNow.AddHours(1) };

        // For any IChatClient: pass these with each request (FunctionInvokingChatClient or your own loop runs them).
        var options = new ChatOptions { Tools = [.. factory.CreateAIFunctions(context)] };

        // Or call a tool yourself and get a typed result.
        var tools = factory.CreateTools(context).ToDictionary(t => t.Name);
        ToolResult written = await tools["write_code"].InvokeAsync(JsonSerializer.SerializeToElement(new { path = "hello.py", code = "print(6 * 7)\n" }));
        ToolResult ran = await tools["run_bash"].InvokeAsync(JsonSerializer.SerializeToElement(new { script = "cat hello.py | wc -l" }));
        return (options, written, ran);
    }
}
