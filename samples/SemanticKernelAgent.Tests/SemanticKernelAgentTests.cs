using System.Text.Json;
using System.Text.Json.Nodes;
using CustomAgent.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Mlrb.Tasks.Storage;
using Moq;

namespace SemanticKernelAgent.Tests;

/// <summary>The SK sample end to end: its kernel on a loopback OpenAI-compatible server, and on mocked services.</summary>
public sealed class SemanticKernelAgentTests
{
    private const string Plan = """{"rationale":"one step","steps":[{"id":1,"title":"Save and submit","instruction":"Save the model, then call return_fn.","dependsOn":[]}]}""";

    [Test]
    public async Task The_sample_kernel_runs_a_task_against_an_OpenAI_compatible_server()
    {
        using var temp = new TempFolder();
        await using var server = new ScriptedOpenAIServer(
            ScriptedOpenAIServer.Text(Plan),
            ScriptedOpenAIServer.ToolCalls(("call_a", "write_code", new { path = "model/weights.txt", code = "0.5\n" })),
            ScriptedOpenAIServer.ToolCalls(("call_b", "return_fn", new { submission = "{\"accuracy\": 0.5}", model_path = "model" })));
        using var output = new StringWriter();

        var exit = await SemanticKernelAgentApp.RunAsync(
            ["--endpoint", server.BaseAddress + "v1", "--model", "worker-model", "--planner-model", "planner-model", "--api-key", "sk-loopback", "--workdir", temp.Path, "--time-limit", "120"],
            output);

        Assert.That(exit, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("kernel plugin 'mlrb': 17 Mlrb tools").And.Contain("accuracy = 0.5"));
        var requests = server.Requests.ToArray();
        Assert.That(requests.Select(r => r.Body["model"]!.GetValue<string>()), Is.EqualTo(new[] { "planner-model", "worker-model", "worker-model" }), "planner and workers on their own kernel services");
        Assert.That(requests.Select(r => r.Authorization), Is.All.EqualTo("Bearer sk-loopback"));
        Assert.That(requests[0].Body["tools"], Is.Null, "the planner gets no tools");
        var workerTools = requests[1].Body["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.That(workerTools, Does.Contain("write_code").And.Contain("return_fn").And.Contain("finish_subtask"));
        Assert.That(File.ReadAllText(Path.Combine(temp.Path, "workspace", "model", "weights.txt")), Is.EqualTo("0.5\n"));

        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(temp.Path, "mlrb.db"));
        var run = (await store.ListRunsAsync()).Single();
        Assert.That(run.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(run.InputTokens, Is.EqualTo(360), "usage of the three replies");
        var steps = await store.GetStepsAsync(run.RunId);
        Assert.That(steps.Where(s => s.Kind == "tool").Select(s => $"{s.Tool}:{s.CallId}"), Is.EqualTo(new[] { "write_code:call_a", "return_fn:call_b" }));
    }

    [Test]
    public async Task A_kernel_of_mocked_services_drives_the_same_app()
    {
        using var temp = new TempFolder();
        var planner = new Mock<IChatClient>();
        planner.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatResponse(new ChatMessage(ChatRole.Assistant, Plan)));
        var worker = new Mock<IChatClient>();
        worker.SetupSequence(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Call("write_code", new { path = "model/w.txt", code = "1" }))
            .ReturnsAsync(Call("return_fn", new { submission = "loss: 1.5", model_path = "model" }));
        var builder = Kernel.CreateBuilder();
        builder.Services.AddKeyedSingleton(SemanticKernelAgentApp.PlannerServiceId, planner.Object);
        builder.Services.AddKeyedSingleton(SemanticKernelAgentApp.WorkerServiceId, worker.Object);
        var settings = new SampleSettings { Endpoint = new Uri("http://unused.invalid/v1"), Model = "w", PlannerModel = "p", WorkDirectory = temp.Path };
        using var output = new StringWriter();

        var exit = await SemanticKernelAgentApp.RunAsync(builder.Build(), settings, output);

        Assert.That(exit, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("loss = 1.5"));
        planner.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
        worker.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task A_kernel_without_the_named_services_fails_with_a_message()
    {
        using var temp = new TempFolder();
        var settings = new SampleSettings { Endpoint = new Uri("http://unused.invalid/v1"), Model = "w", PlannerModel = "p", WorkDirectory = temp.Path };

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => SemanticKernelAgentApp.RunAsync(new Kernel(), settings, TextWriter.Null));

        Assert.That((await error)!.Message, Does.Contain("'planner'"));
    }

    [TestCase(new string[0], "--endpoint URL is required")]
    [TestCase(new[] { "--endpoint", "http://x/v1" }, "--model MODEL is required")]
    [TestCase(new[] { "--endpoint", "http://x/v1", "--model", "m", "--time-limit", "-5" }, "--time-limit must be a positive")]
    [TestCase(new[] { "--bogus", "1" }, "unknown option '--bogus'")]
    public async Task Bad_command_lines_exit_2_with_the_reason(string[] args, string reason)
    {
        using var output = new StringWriter();

        var exit = await SemanticKernelAgentApp.RunAsync(args, output);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output.ToString(), Does.Contain(reason).And.Contain("usage:"));
    }

    [Test]
    public void Settings_default_the_planner_to_the_worker_model_and_the_key_to_the_environment()
    {
        var settings = SampleSettings.Parse(["--endpoint", "http://x/v1", "--model", "m"], name => name == "OPENAI_API_KEY" ? "env-key" : null, out _)!;

        Assert.That((settings.PlannerModel, settings.ApiKey, settings.TaskName, settings.TimeLimit), Is.EqualTo(("m", "env-key", "mini_llm_efficiency", TimeSpan.FromMinutes(10))));
    }

    private static ChatResponse Call(string tool, object arguments) => new(new ChatMessage(ChatRole.Assistant,
        [new Microsoft.Extensions.AI.FunctionCallContent("call-" + tool, tool, JsonSerializer.SerializeToElement(arguments).Deserialize<Dictionary<string, object?>>())]));
}
