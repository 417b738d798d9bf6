using System.Text;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Middleware;

namespace Mlrb.Agents.ToolLoop;

/// <summary>
/// Keeps a worker's history within a token budget. The first <c>pinned</c> messages (system prompt, task, plan and
/// subtask) and the last N actions (an assistant turn with its tool results) stay in full; older actions are folded
/// into one summary message listing each call, its arguments and the start of its result.
/// </summary>
/// <remarks>Tokens are estimated at four characters per token plus a small per-message overhead.</remarks>
internal static class HistoryCompactor
{
    private const string SummaryHeader = "Summary of earlier actions (older turns were compacted to save context):";

    /// <summary>Estimated tokens of a history.</summary>
    /// <param name="history">The messages.</param>
    /// <returns>The estimate.</returns>
    public static int EstimateTokens(IEnumerable<ChatMessage> history) => history.Sum(EstimateTokens);

    /// <summary>Compacts <paramref name="history"/> in place when it is over <paramref name="tokenBudget"/>.</summary>
    /// <param name="history">The conversation.</param>
    /// <param name="pinned">How many leading messages are never compacted.</param>
    /// <param name="keepRecentActions">How many of the latest actions are kept in full.</param>
    /// <param name="tokenBudget">Estimated tokens allowed.</param>
    /// <returns>True when something was compacted.</returns>
    public static bool Compact(List<ChatMessage> history, int pinned, int keepRecentActions, int tokenBudget)
    {
        if (EstimateTokens(history) <= tokenBudget)
        {
            return false;
        }

        var start = pinned;
        var previous = new List<string>();
        if (start < history.Count && IsSummary(history[start]))
        {
            previous.AddRange(history[start].Text.Split('\n').Skip(1));
            start++;
        }

        var groups = Group(history, start);
        var compacted = false;
        for (var keep = Math.Min(keepRecentActions, groups.Count); keep >= 1; keep--)
        {
            var fold = groups.Count - keep;
            if (fold <= 0)
            {
                continue;
            }

            var lines = new List<string>(previous);
            foreach (var group in groups.Take(fold))
            {
                lines.AddRange(Describe(group));
            }

            var summary = new ChatMessage(ChatRole.User, SummaryHeader + "\n" + string.Join('\n', lines)) { MessageId = TranscriptChatClient.TransientId };
            var rebuilt = history.Take(pinned).Append(summary).Concat(groups.Skip(fold).SelectMany(g => g)).ToList();
            history.Clear();
            history.AddRange(rebuilt);
            compacted = true;
            groups = groups.Skip(fold).ToList();
            previous = lines;
            if (EstimateTokens(history) <= tokenBudget)
            {
                break;
            }
        }

        return compacted;
    }

    private static bool IsSummary(ChatMessage message)
        => message.Role == ChatRole.User && message.Text.StartsWith(SummaryHeader, StringComparison.Ordinal);

    private static int EstimateTokens(ChatMessage message)
    {
        var chars = 0;
        foreach (var content in message.Contents)
        {
            chars += content switch
            {
                TextContent t => t.Text?.Length ?? 0,
                FunctionCallContent c => c.Name.Length + (c.Arguments?.Sum(a => a.Key.Length + (a.Value?.ToString()?.Length ?? 0)) ?? 0),
                FunctionResultContent r => r.Result?.ToString()?.Length ?? 0,
                _ => 0,
            };
        }

        return (chars / 4) + 4;
    }

    /// <summary>Splits the history after <paramref name="start"/> into actions: an assistant message and what follows it.</summary>
    private static List<List<ChatMessage>> Group(List<ChatMessage> history, int start)
    {
        var groups = new List<List<ChatMessage>>();
        for (var i = start; i < history.Count; i++)
        {
            if (history[i].Role == ChatRole.Assistant || groups.Count == 0)
            {
                groups.Add([]);
            }

            groups[^1].Add(history[i]);
        }

        return groups;
    }

    private static IEnumerable<string> Describe(List<ChatMessage> group)
    {
        var results = group.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToDictionary(r => r.CallId, r => r.Result?.ToString() ?? "", StringComparer.Ordinal);
        foreach (var message in group)
        {
            if (message.Role == ChatRole.Assistant)
            {
                var calls = message.Contents.OfType<FunctionCallContent>().ToList();
                if (calls.Count == 0 && !string.IsNullOrWhiteSpace(message.Text))
                {
                    yield return "- said: " + OneLine(message.Text, 160);
                }

                foreach (var call in calls)
                {
                    var args = new StringBuilder();
                    foreach (var (key, value) in call.Arguments ?? new Dictionary<string, object?>())
                    {
                        args.Append(args.Length == 0 ? "" : ", ").Append(key).Append('=').Append(OneLine(value?.ToString() ?? "null", 60));
                    }

                    var result = results.TryGetValue(call.CallId, out var r) ? OneLine(r, 200) : "(no result)";
                    yield return $"- {call.Name}({args}) -> {result}";
                }
            }
            else if (message.Role == ChatRole.User)
            {
                yield return "- note: " + OneLine(message.Text, 160);
            }
        }
    }

    private static string OneLine(string text, int max)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max), "...");
    }
}
