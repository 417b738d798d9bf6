using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Middleware;
using Mlrb.Agents.Providers;
using Mlrb.Testing;

namespace Mlrb.Agents.Tests.Providers;

public class AnthropicChatClientTests
{
    private const string ToolUseMessage = """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"text","text":"Running the script."},
                    {"type":"tool_use","id":"toolu_01","name":"run_python","input":{"filepath":"train.py"}},
                    {"type":"tool_use","id":"toolu_02","name":"scratchpad","input":{"note":"x"}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":42,"output_tokens":17,"cache_read_input_tokens":3}}
        """;

    private const string TextMessage = """
        {"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"text","text":"finished"}],"stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":60,"output_tokens":4}}
        """;

    private static IChatClient CreateClient(LoopbackHttpServer server) => new ChatClientFactory(environment: _ => null).Create(new ModelOptions
    {
        Provider = ChatProvider.Anthropic,
        Model = "claude-sonnet-4-5",
        Endpoint = server.BaseAddress,
        ApiKey = "ak-test",
        MaxOutputTokens = 4096,
    });

    [Test]
    public async Task ToolUse_IsParsedWithUsage_AndTheRequestCarriesSystemToolsAndKey()
    {
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, ToolUseMessage));
        using var client = CreateClient(server);
        var tool = AIFunctionFactory.CreateDeclaration(
            "run_python",
            "Runs a Python file.",
            JsonDocument.Parse("""{"type":"object","properties":{"filepath":{"type":"string"}},"required":["filepath"]}""").RootElement);

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are a researcher."), new ChatMessage(ChatRole.User, "train")],
            new ChatOptions { Tools = [tool] });

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.That(calls.Select(c => c.Name), Is.EqualTo(new[] { "run_python", "scratchpad" }));
        Assert.That(calls[0].CallId, Is.EqualTo("toolu_01"));
        Assert.That(calls[0].Arguments!["filepath"]?.ToString(), Is.EqualTo("train.py"));
        Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(45));
        Assert.That(response.Usage.OutputTokenCount, Is.EqualTo(17));

        var request = server.Requests.Single();
        Assert.That(request.Url.AbsolutePath, Is.EqualTo("/v1/messages"));
        // This SDK version sends the key as a bearer token (older ones used x-api-key); accept either, but it must be sent.
        var sentKey = request.Headers.TryGetValue("x-api-key", out var apiKey) ? apiKey : request.Headers.GetValueOrDefault("Authorization");
        Assert.That(sentKey, Is.EqualTo("ak-test").Or.EqualTo("Bearer ak-test"));
        Assert.That(request.Headers, Does.ContainKey("anthropic-version"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.That(body.RootElement.GetProperty("max_tokens").GetInt32(), Is.EqualTo(4096));
        Assert.That(body.RootElement.GetProperty("system").GetRawText(), Does.Contain("You are a researcher."));
        Assert.That(body.RootElement.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("required")[0].GetString(), Is.EqualTo("filepath"));
    }

    [Test]
    public async Task ToolResults_GoBackAsToolResultBlocks()
    {
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, TextMessage));
        using var client = CreateClient(server);

        var response = await client.GetResponseAsync(
        [
            new ChatMessage(ChatRole.User, "go"),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("toolu_01", "run_python", new Dictionary<string, object?> { ["filepath"] = "a.py" })]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("toolu_01", "unknown tool") { Exception = new InvalidOperationException("x") }]),
        ]);

        Assert.That(response.Text, Is.EqualTo("finished"));
        using var body = JsonDocument.Parse(server.Requests.Single().Body);
        var last = body.RootElement.GetProperty("messages")[2];
        Assert.That(last.GetProperty("role").GetString(), Is.EqualTo("user"));
        var block = last.GetProperty("content")[0];
        Assert.That(block.GetProperty("type").GetString(), Is.EqualTo("tool_result"));
        Assert.That(block.GetProperty("tool_use_id").GetString(), Is.EqualTo("toolu_01"));
        Assert.That(block.GetProperty("is_error").GetBoolean(), Is.True);
    }

    [Test]
    public async Task ErrorBody_FailsWithTheServersMessageAndIsNotRetried()
    {
        const string error = """{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: must be at most 64000"}}""";
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 400, error));
        using var client = new ResilientChatClient(CreateClient(server), maxRetries: 3, TimeSpan.FromSeconds(5), TimeProvider.System);

        var ex = await Assert.CatchAsync<Exception>(() => client.GetResponseAsync("go"));

        Assert.That(ex!.ToString(), Does.Contain("max_tokens: must be at most 64000"));
        Assert.That(server.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task RateLimited_WaitsTheRetryAfterThenSucceeds()
    {
        var calls = 0;
        await using var server = new LoopbackHttpServer(async (_, response) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                response.AddHeader("Retry-After", "1");
                await LoopbackHttpServer.WriteAsync(response, 429, """{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}""");
                return;
            }

            await LoopbackHttpServer.WriteAsync(response, 200, TextMessage);
        });
        var delays = new List<TimeSpan>();
        using var client = new ResilientChatClient(CreateClient(server), maxRetries: 3, TimeSpan.FromSeconds(30), TimeProvider.System, (_, delay, _) => delays.Add(delay));

        var response = await client.GetResponseAsync("go");

        Assert.That(response.Text, Is.EqualTo("finished"));
        Assert.That(server.Requests, Has.Count.EqualTo(2));
        Assert.That(delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(1) }));
    }

    [Test]
    public void MissingKey_FailsWithTheVariablesToSet()
    {
        var factory = new ChatClientFactory(environment: _ => null);

        var ex = Assert.Throws<InvalidOperationException>(() => factory.Create(new ModelOptions { Provider = ChatProvider.Anthropic }));

        Assert.That(ex!.Message, Does.Contain("ANTHROPIC_API_KEY").And.Contain("ANTHROPIC"));
    }
}
