using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Agents.Providers;
using Mlrb.Agents.Runs;
using Mlrb.Agents.Tests.Doubles;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Agents.Tests.Runs;

/// <summary>The whole agent over real provider clients and loopback servers: the planner on Anthropic, the workers on an OpenAI-compatible server.</summary>
public class ResearchAgentProviderTests
{
    [Test]
    public async Task PlannerOnAnthropic_WorkersOnOpenAICompatible_EachGetsItsOwnCalls()
    {
        var plan = """{"rationale":"r","steps":[{"id":1,"title":"Train","instruction":"Train and submit.","dependsOn":[]}]}""";
        await using var anthropic = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, JsonSerializer.Serialize(new
        {
            id = "msg_1",
            type = "message",
            role = "assistant",
            model = "claude-sonnet-4-5",
            content = new[] { new { type = "text", text = plan } },
            stop_reason = "end_turn",
            usage = new { input_tokens = 50, output_tokens = 30 },
        })));
        await using var openai = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, """
            {"id":"c1","object":"chat.completion","created":1,"model":"local-coder","choices":[{"index":0,"finish_reason":"tool_calls",
             "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"return_fn","arguments":"{\"model_path\":\"m/\",\"metrics\":{\"acc\":0.61}}"}}]}}],
             "usage":{"prompt_tokens":200,"completion_tokens":10,"total_tokens":210}}
            """));
        var options = new MlrbAgentsOptions
        {
            Planner = new ModelOptions { Provider = ChatProvider.Anthropic, Model = "claude-sonnet-4-5", Endpoint = anthropic.BaseAddress, ApiKey = "ak" },
            Worker = new ModelOptions { Provider = ChatProvider.OpenAI, Model = "local-coder", Endpoint = new Uri(openai.BaseAddress, "v1") },
            MaxModelRetries = 0,
        };
        options.Prices["claude-sonnet-4-5"] = new ModelPrice(3m, 15m);
        options.Prices["local-coder"] = new ModelPrice(0m, 0m);
        var store = new InMemoryRunStore();
        var agent = new ResearchAgent(options, store, new ChatClientFactory(environment: _ => null), TimeProvider.System);

        var result = await agent.RunAsync(new AgentRunRequest
        {
            RunId = "mixed",
            TaskName = "mini_baby_lm",
            TaskPrompt = "Train a model.",
            WorkspacePath = TestPaths.CreateTempDirectory("mlrb-mixed"),
            Tools = [],
        });

        Assert.That(result.Status, Is.EqualTo(RunStatus.Completed), result.StopReason);
        Assert.That(result.Submission!.Metrics["acc"], Is.EqualTo("0.61"));
        Assert.That(anthropic.Requests, Has.Count.EqualTo(1), "the plan came from the Anthropic planner");
        Assert.That(openai.Requests, Has.Count.EqualTo(1), "the work went to the OpenAI-compatible worker");
        var planRequest = JsonNode.Parse(anthropic.Requests.Single().Body)!;
        Assert.That(planRequest["output_config"]?["format"]?["type"]?.GetValue<string>(), Is.EqualTo("json_schema"), "the plan is asked for with structured output");
        var workRequest = JsonNode.Parse(openai.Requests.Single().Body)!;
        Assert.That(workRequest["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "finish_subtask", "return_fn" }));
        Assert.That((result.InputTokens, result.OutputTokens), Is.EqualTo((250L, 40L)));
        Assert.That(result.CostUsd, Is.EqualTo(((50 * 3m) + (30 * 15m)) / 1_000_000m));
    }
}
