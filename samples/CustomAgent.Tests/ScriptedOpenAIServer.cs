using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CustomAgent.Tests;

/// <summary>
/// An OpenAI-compatible chat-completions server on 127.0.0.1 that answers from a script: each POST to
/// <c>/v1/chat/completions</c> gets the next scripted reply. Requests are kept for assertions. Loopback only.
/// </summary>
internal sealed class ScriptedOpenAIServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<JsonObject> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _replies;

    public ScriptedOpenAIServer(params JsonObject[] script)
    {
        _script = new ConcurrentQueue<JsonObject>(script);
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        }

        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The server's root; the OpenAI base URL is <c>{BaseAddress}v1</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>What each request carried: path, Authorization header and JSON body.</summary>
    public ConcurrentQueue<(string Path, string? Authorization, JsonNode Body)> Requests { get; } = new();

    /// <summary>A reply that calls tools: (call id, tool name, arguments object).</summary>
    public static JsonObject ToolCalls(params (string Id, string Name, object Arguments)[] calls) => Completion(
        new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = null,
            ["tool_calls"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = JsonSerializer.Serialize(c.Arguments) },
            })]),
        },
        "tool_calls");

    /// <summary>A plain text reply.</summary>
    public static JsonObject Text(string text) => Completion(new JsonObject { ["role"] = "assistant", ["content"] = text }, "stop");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or HttpListenerException or InvalidOperationException)
        {
        }

        _stop.Dispose();
    }

    private static JsonObject Completion(JsonObject message, string finishReason) => new()
    {
        ["object"] = "chat.completion",
        ["created"] = 1_772_000_000,
        ["model"] = "scripted",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 120, ["completion_tokens"] = 12, ["total_tokens"] = 132 },
    };

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonNode.Parse(await reader.ReadToEndAsync()) ?? new JsonObject();
            var path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue((path, context.Request.Headers["Authorization"], body));
            var (status, reply) = path != "/v1/chat/completions"
                ? (404, new JsonObject { ["error"] = new JsonObject { ["message"] = $"no route {path}" } })
                : _script.TryDequeue(out var next)
                    ? (200, next)
                    : (500, new JsonObject { ["error"] = new JsonObject { ["message"] = "the script has no more replies" } });
            if (status == 200)
            {
                reply["id"] = $"chatcmpl-{Interlocked.Increment(ref _replies)}";
            }

            var bytes = Encoding.UTF8.GetBytes(reply.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
