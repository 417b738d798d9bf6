using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Mlrb.Agents.Middleware;
using Mlrb.Agents.Providers;
using Mlrb.Testing;

namespace Mlrb.Agents.Tests.Providers;

/// <summary>The OpenAI provider (Microsoft.Extensions.AI.OpenAI over the OpenAI SDK) against a loopback server: the wire format and the retry layer.</summary>
public class OpenAIChatClientTests
{
    private const string ToolCallCompletion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4o-2024-08-06",
         "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
           "tool_calls":[
             {"id":"call_a","type":"function","function":{"name":"run_python","arguments":"{\"filepath\":\"train.py\"}"}},
             {"id":"call_b","type":"function","function":{"name":"scratchpad","arguments":"{\"note\":\"started\"}"}}]}}],
         "usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150,"prompt_tokens_details":{"cached_tokens":100}}}
        """;

    private const string TextCompletion = """
        {"id":"chatcmpl-2","object":"chat.completion","created":1767225601,"model":"gpt-4o",
         "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"done"}}],
         "usage":{"prompt_tokens":200,"completion_tokens":5,"total_tokens":205}}
        """;

    private static IChatClient CreateClient(LoopbackHttpServer server, string? key = "sk-test")
        => new ChatClientFactory(environment: _ => null).Create(new ModelOptions
        {
            Provider = ChatProvider.OpenAI,
            Model = "gpt-4o",
            Endpoint = new Uri(server.BaseAddress, "v1"),
            ApiKey = key,
        });

    private static AIFunctionDeclaration RunPythonDeclaration() => AIFunctionFactory.CreateDeclaration(
        "run_python",
        "Runs a Python file.",
        JsonDocument.Parse("""{"type":"object","properties":{"filepath":{"type":"string"}},"required":["filepath"]}""").RootElement);

    [Test]
    public async Task ToolCalls_SeveralInOneTurn_AreParsedWithNamesArgumentsAndUsage()
    {
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, ToolCallCompletion));
        using var client = CreateClient(server);

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "train a model")],
            new ChatOptions { Tools = [RunPythonDeclaration()], MaxOutputTokens = 512 });

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.That(calls.Select(c => (c.CallId, c.Name)), Is.EqualTo(new[] { ("call_a", "run_python"), ("call_b", "scratchpad") }));
        Assert.That(calls[0].Arguments!["filepath"]?.ToString(), Is.EqualTo("train.py"));
        Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(120));
        Assert.That(response.Usage.OutputTokenCount, Is.EqualTo(30));
        Assert.That(response.Usage.CachedInputTokenCount, Is.EqualTo(100));
        Assert.That(response.ModelId, Is.EqualTo("gpt-4o-2024-08-06"));

        var request = server.Requests.Single();
        Assert.That(request.Url.AbsolutePath, Is.EqualTo("/v1/chat/completions"));
        Assert.That(request.Headers["Authorization"], Is.EqualTo("Bearer sk-test"));
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.That(root.GetProperty("model").GetString(), Is.EqualTo("gpt-4o"));
        Assert.That(root.GetProperty("max_completion_tokens").GetInt32(), Is.EqualTo(512));
        var tool = root.GetProperty("tools")[0].GetProperty("function");
        Assert.That(tool.GetProperty("name").GetString(), Is.EqualTo("run_python"));
        Assert.That(tool.GetProperty("parameters").GetProperty("required")[0].GetString(), Is.EqualTo("filepath"));
        Assert.That(root.GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("system"));
    }

    [Test]
    public async Task ToolResults_AreSentBackAsToolMessagesWithTheirCallIds()
    {
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, TextCompletion));
        using var client = CreateClient(server);
        List<ChatMessage> history =
        [
            new(ChatRole.User, "go"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_a", "run_python", new Dictionary<string, object?> { ["filepath"] = "a.py" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_a", "loss 3.2")]),
        ];

        var response = await client.GetResponseAsync(history);

        Assert.That(response.Text, Is.EqualTo("done"));
        using var body = JsonDocument.Parse(server.Requests.Single().Body);
        var messages = body.RootElement.GetProperty("messages");
        var assistantCall = messages[1].GetProperty("tool_calls")[0];
        Assert.That(assistantCall.GetProperty("id").GetString(), Is.EqualTo("call_a"));
        // The arguments travel as a JSON string (layout is the serializer's; the content is what the model sent).
        using var arguments = JsonDocument.Parse(assistantCall.GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.That(arguments.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())), Is.EqualTo(new[] { ("filepath", "a.py") }));
        Assert.That(messages[2].GetProperty("role").GetString(), Is.EqualTo("tool"));
        Assert.That(messages[2].GetProperty("tool_call_id").GetString(), Is.EqualTo("call_a"));
        Assert.That(messages[2].GetProperty("content").GetString(), Is.EqualTo("loss 3.2"));
    }

    [Test]
    public async Task MalformedArguments_BecomeAFunctionCallWithAnException()
    {
        const string bad = """
            {"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"finish_reason":"tool_calls",
             "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_x","type":"function","function":{"name":"run_python","arguments":"{\"filepath\": \"a.py"}}]}}]}
            """;
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, bad));
        using var client = CreateClient(server);

        var response = await client.GetResponseAsync("go");

        var call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        Assert.That(call.Name, Is.EqualTo("run_python"));
        Assert.That(call.Exception, Is.Not.Null);
    }

    [Test]
    public async Task ErrorBody_FailsWithTheServersMessageAndIsNotRetried()
    {
        const string error = """{"error":{"message":"Invalid schema for function 'run_python'","type":"invalid_request_error","code":"bad_schema"}}""";
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 400, error));
        using var client = new ResilientChatClient(CreateClient(server), maxRetries: 3, TimeSpan.FromSeconds(5), TimeProvider.System);

        var ex = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => client.GetResponseAsync("go"));

        Assert.That(ex!.Status, Is.EqualTo(400));
        Assert.That(ex.Message, Does.Contain("Invalid schema for function 'run_python'"));
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
                await LoopbackHttpServer.WriteAsync(response, 429, """{"error":{"message":"Rate limit reached","type":"requests"}}""");
                return;
            }

            await LoopbackHttpServer.WriteAsync(response, 200, TextCompletion);
        });
        var delays = new List<TimeSpan>();
        var time = new FakeTimeProvider();
        using var client = new ResilientChatClient(CreateClient(server), maxRetries: 3, TimeSpan.FromSeconds(30), time, (_, delay, _) => { lock (delays) { delays.Add(delay); } });

        var call = client.GetResponseAsync("go");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref calls) < 1 || delays.Count == 0)
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the 429 never arrived");
            await Task.Delay(10);
        }

        await Task.Delay(50);
        Assert.That((call.IsCompleted, server.Requests.Count), Is.EqualTo((false, 1)), "it waits for the Retry-After on the clock");
        time.Advance(TimeSpan.FromSeconds(1));
        var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(response.Text, Is.EqualTo("done"));
        Assert.That(server.Requests, Has.Count.EqualTo(2));
        Assert.That(delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(1) }));
    }

    [Test]
    public async Task RetryAfterLongerThanAllowed_FailsWithoutWaiting()
    {
        await using var server = new LoopbackHttpServer(async (_, response) =>
        {
            response.AddHeader("Retry-After", "3600");
            await LoopbackHttpServer.WriteAsync(response, 429, """{"error":{"message":"quota","type":"requests"}}""");
        });
        using var client = new ResilientChatClient(CreateClient(server), maxRetries: 3, TimeSpan.FromSeconds(30), TimeProvider.System);

        var ex = await Assert.ThrowsAsync<ModelCallFailedException>(() => client.GetResponseAsync("go"));

        Assert.That(ex!.StatusCode, Is.EqualTo(429));
        Assert.That(ex.Message, Does.Contain("1h"));
        Assert.That(server.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CustomEndpointWithoutKey_IsAllowedForLocalServers()
    {
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, TextCompletion));
        using var client = CreateClient(server, key: null);

        var response = await client.GetResponseAsync("hi");

        Assert.That(response.Text, Is.EqualTo("done"));
    }
}
