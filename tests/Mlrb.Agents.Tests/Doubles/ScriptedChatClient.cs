using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Middleware;

namespace Mlrb.Agents.Tests.Doubles;

/// <summary>One call the scripted client received.</summary>
/// <param name="Agent">The conversation (from the agent's call scope).</param>
/// <param name="Messages">A snapshot of the messages sent.</param>
/// <param name="Options">The options sent.</param>
internal sealed record ChatCall(string Agent, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    public bool IsPlanning => Options?.ResponseFormat is ChatResponseFormatJson { SchemaName: "research_plan" };

    public bool IsReview => Options?.ResponseFormat is ChatResponseFormatJson { SchemaName: "review" };

    public string LastUserText => Messages.Last(m => m.Role == ChatRole.User).Text;

    public IEnumerable<FunctionResultContent> ToolResults => Messages.SkipWhile(m => m != Messages.LastOrDefault(x => x.Role == ChatRole.Assistant)).SelectMany(m => m.Contents).OfType<FunctionResultContent>();
}

/// <summary>An <see cref="IChatClient"/> that answers each call from a script and records every call.</summary>
internal sealed class ScriptedChatClient(Func<ChatCall, ChatResponse> script) : IChatClient
{
    public ConcurrentQueue<ChatCall> Calls { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = new ChatCall(AgentCallScope.Current?.Agent ?? "(none)", messages.Select(m => m.Clone()).ToList(), options);
        Calls.Enqueue(call);
        return Task.FromResult(script(call));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model") : null;

    public void Dispose()
    {
    }
}

/// <summary>Builds model replies for scripts.</summary>
internal static class Reply
{
    private static int _ids;

    public static ChatResponse Text(string text, long input = 100, long output = 10) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        ModelId = "scripted-model",
        Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
    };

    public static ChatResponse Calls(params (string Name, object Args)[] calls)
    {
        var contents = calls.Select(c => (AIContent)new FunctionCallContent(
            $"call_{Interlocked.Increment(ref _ids)}",
            c.Name,
            System.Text.Json.JsonSerializer.SerializeToElement(c.Args).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()))).ToList();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = "scripted-model",
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 },
        };
    }

    public static ChatResponse Plan(params (int Id, string Title, int[] DependsOn)[] steps)
        => Text(System.Text.Json.JsonSerializer.Serialize(new
        {
            rationale = "test plan",
            steps = steps.Select(s => new { id = s.Id, title = s.Title, instruction = "Do " + s.Title, dependsOn = s.DependsOn }),
        }));

    public static ChatResponse Review(string verdict, string notes = "") => Text($$"""{"verdict":"{{verdict}}","notes":"{{notes}}"}""");
}
