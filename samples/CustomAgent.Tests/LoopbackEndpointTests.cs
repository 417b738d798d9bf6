using System.Diagnostics;
using System.Text.Json.Nodes;
using Mlrb.Tasks.Storage;

namespace CustomAgent.Tests;

/// <summary>
/// The sample end to end over real HTTP: the OpenAI SDK talks to a scripted OpenAI-compatible server on loopback,
/// Mlrb's tools write the workspace and the run lands in the SQLite run store.
/// </summary>
public sealed class LoopbackEndpointTests
{
    private static JsonObject[] SubmittingScript() =>
    [
        ScriptedOpenAIServer.ToolCalls(
            ("call_a", "write_code", new { path = "model/weights.txt", code = "0.5\n" }),
            ("call_b", "list_workspace", new { path = "." })),
        ScriptedOpenAIServer.ToolCalls(
            ("call_c", "return_fn", new { submission = "{\"accuracy\": 0.5}", model_path = "model" })),
    ];

    [Test]
    public async Task The_sample_runs_against_an_OpenAI_compatible_server_and_records_the_run()
    {
        using var temp = new TempFolder();
        await using var server = new ScriptedOpenAIServer(SubmittingScript());
        using var output = new StringWriter();

        var exit = await CustomAgentApp.RunAsync(
            ["--endpoint", server.BaseAddress + "v1", "--model", "loopback-model", "--api-key", "sk-loopback", "--workdir", temp.Path, "--max-iterations", "4", "--time-limit", "120"],
            output);

        Assert.That(exit, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain(": Completed (submitted with return_fn)").And.Contain("accuracy = 0.5"));

        // What went over the wire: the key, the model, the 18 tools, and each tool result answering its call id.
        var requests = server.Requests.ToArray();
        Assert.That(requests, Has.Length.EqualTo(2));
        Assert.That(requests.Select(r => r.Path), Is.All.EqualTo("/v1/chat/completions"));
        Assert.That(requests.Select(r => r.Authorization), Is.All.EqualTo("Bearer sk-loopback"));
        Assert.That(requests[0].Body["model"]!.GetValue<string>(), Is.EqualTo("loopback-model"));
        var toolNames = requests[0].Body["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.That(toolNames, Has.Count.EqualTo(18));
        Assert.That(toolNames, Does.Contain("list_workspace").And.Contain("write_code").And.Contain("return_fn"));
        var toolMessages = requests[1].Body["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").ToList();
        Assert.That(toolMessages.Select(m => m!["tool_call_id"]!.GetValue<string>()), Is.EqualTo(new[] { "call_a", "call_b" }));
        Assert.That(toolMessages[1]!["content"]!.ToJsonString(), Does.Contain("model/weights.txt"));

        // The workspace and the run store.
        var workspace = Directory.GetDirectories(Path.Combine(temp.Path, "workspaces")).Single();
        Assert.That(File.ReadAllText(Path.Combine(workspace, "model", "weights.txt")), Is.EqualTo("0.5\n"));
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(temp.Path, "runs.db"));
        var run = (await store.ListRunsAsync()).Single();
        Assert.That(run.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(run.Model, Is.EqualTo("loopback-model"));
        Assert.That(run.InputTokens, Is.EqualTo(240), "usage from both replies");
        var steps = await store.GetStepsAsync(run.RunId);
        Assert.That(steps.Select(s => $"{s.Tool}:{s.CallId}:{s.Status}"), Is.EqualTo(new[]
        {
            "write_code:call_a:Succeeded", "list_workspace:call_b:Succeeded", "return_fn:call_c:Succeeded", "return_fn::Succeeded",
        }));
    }

    [Test]
    public async Task An_endpoint_that_keeps_failing_ends_the_run_as_failed_with_exit_code_1()
    {
        using var temp = new TempFolder();
        await using var server = new ScriptedOpenAIServer(); // every request gets a 500

        using var output = new StringWriter();
        var exit = await CustomAgentApp.RunAsync(["--endpoint", server.BaseAddress + "v1", "--model", "m", "--workdir", temp.Path], output);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output.ToString(), Does.Contain(": Failed (").And.Contain("500"));
    }

    [Test]
    public async Task Unknown_task_and_bad_options_exit_2_with_a_message()
    {
        using var output = new StringWriter();
        Assert.That(await CustomAgentApp.RunAsync(["--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--task", "no_such_task"], output), Is.EqualTo(2));
        Assert.That(output.ToString(), Does.Contain("unknown task 'no_such_task'").And.Contain("mini_llm_efficiency"));
        Assert.That(await CustomAgentApp.RunAsync(["--model", "m"], output), Is.EqualTo(2));
        Assert.That(output.ToString(), Does.Contain("--endpoint is required"));
    }

    /// <summary>The exact command docs/custom-agent.md gives, run from the repository root against the scripted server.</summary>
    [Test]
    public async Task The_documented_dotnet_run_command_works_against_a_loopback_server()
    {
        using var temp = new TempFolder();
        await using var server = new ScriptedOpenAIServer(SubmittingScript());
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["run", "--project", "samples/CustomAgent", "-c", "Release", "--", "--endpoint", server.BaseAddress + "v1", "--model", "loopback-model", "--workdir", temp.Path])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("OPENAI_API_KEY");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await stdout + await stderr;
        Assert.That(process.ExitCode, Is.EqualTo(0), text);
        Assert.That(text, Does.Contain(": Completed (submitted with return_fn)"));
        Assert.That(server.Requests.Select(r => r.Authorization), Is.All.EqualTo("Bearer unused"), "no key given: a placeholder goes to local servers");
    }
}
