using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Run;

/// <summary>
/// A loopback OpenAI-compatible chat-completions server that plays a scripted agent: it plans one subtask,
/// then in the worker conversation makes the next scripted tool call (by how many it already made), accepts
/// every review, and answers the final-submission request with <c>return_fn</c>.
/// </summary>
internal sealed class ScriptedOpenAIServer : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly IReadOnlyList<(string Name, object Arguments)> _workerCalls;
    private int _ids;

    public ScriptedOpenAIServer(IReadOnlyList<(string Name, object Arguments)> workerCalls)
    {
        _workerCalls = workerCalls;
        _server = new LoopbackHttpServer(HandleAsync);
    }

    /// <summary>The base URL to pass as <c>--endpoint</c>.</summary>
    public string Endpoint => new Uri(_server.BaseAddress, "v1").ToString();

    /// <summary>Request bodies, in order.</summary>
    public ConcurrentQueue<JsonNode> Bodies { get; } = new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private Task HandleAsync(RecordedRequest request, HttpListenerResponse response)
    {
        var body = JsonNode.Parse(request.Body)!;
        Bodies.Enqueue(body);
        var schema = body["response_format"]?["json_schema"]?["name"]?.GetValue<string>();
        JsonObject message;
        if (schema == "research_plan")
        {
            message = Text("""{"rationale":"one step","steps":[{"id":1,"title":"Train and submit","instruction":"Write make_model.py, run it, submit the model.","dependsOn":[]}]}""");
        }
        else if (schema == "review")
        {
            message = Text("""{"verdict":"accept","notes":""}""");
        }
        else
        {
            var made = body["messages"]!.AsArray().Count(m => m!["role"]!.GetValue<string>() == "assistant" && m["tool_calls"] is JsonArray { Count: > 0 });
            var (name, arguments) = body["tool_choice"] is JsonObject ? _workerCalls[^1] : _workerCalls[Math.Min(made, _workerCalls.Count - 1)];
            message = new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = $"call_{Interlocked.Increment(ref _ids)}_{Guid.NewGuid():N}",
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["arguments"] = JsonSerializer.Serialize(arguments) },
                }),
            };
        }

        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
            ["object"] = "chat.completion",
            ["created"] = 1767225600,
            ["model"] = "scripted-local",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["finish_reason"] = message["tool_calls"] is null ? "stop" : "tool_calls", ["message"] = message }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
        };
        return LoopbackHttpServer.WriteAsync(response, 200, completion.ToJsonString());
    }

    private static JsonObject Text(string content) => new() { ["role"] = "assistant", ["content"] = content };
}
