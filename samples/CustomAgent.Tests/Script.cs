using Microsoft.Extensions.AI;

namespace CustomAgent.Tests;

/// <summary>Builds the replies a scripted model gives.</summary>
internal static class Script
{
    private static int _callNumber;

    /// <summary>A reply that calls one tool.</summary>
    public static ChatResponse Call(string tool, params (string Name, object? Value)[] arguments) =>
        Calls((tool, arguments));

    /// <summary>A reply that calls several tools at once.</summary>
    public static ChatResponse Calls(params (string Tool, (string Name, object? Value)[] Arguments)[] calls)
    {
        var contents = calls
            .Select(c => (AIContent)new FunctionCallContent(
                $"call_{Interlocked.Increment(ref _callNumber)}",
                c.Tool,
                c.Arguments.ToDictionary(a => a.Name, a => a.Value)))
            .ToList();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 },
        };
    }

    /// <summary>A reply with text and no tool call.</summary>
    public static ChatResponse Text(string text) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 5 } };
}
