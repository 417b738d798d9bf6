using System.Text;
using System.Text.Json;
using Mlrb.Tasks.Storage;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>Renders stored chat messages (Microsoft.Extensions.AI <c>ChatMessage</c> JSON): text, tool calls and tool results, all encoded.</summary>
internal static class TranscriptView
{
    private const int MaxPart = 20_000;

    /// <summary>Appends the messages.</summary>
    public static void Append(StringBuilder sb, IEnumerable<MessageRecord> messages, int firstNumber)
    {
        var number = firstNumber;
        foreach (var m in messages)
        {
            var role = m.Role is "assistant" or "tool" or "user" or "system" ? m.Role : "other";
            sb.Append("<div class=\"msg ").Append(role).Append("\" id=\"m").Append(m.Id).Append("\"><span class=\"role\">#").Append(number++).Append(' ')
              .Append(E(m.Role)).Append("</span> <span class=\"muted\">").Append(E(m.Agent)).Append(" · ").Append(Time(m.CreatedAt));
            if (m.InputTokens + m.OutputTokens > 0)
            {
                sb.Append(" · ").Append(Count(m.InputTokens)).Append(" in / ").Append(Count(m.OutputTokens)).Append(" out tokens");
            }

            sb.Append("</span>");
            AppendContent(sb, m.ContentJson);
            sb.Append("</div>");
        }
    }

    private static void AppendContent(StringBuilder sb, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array)
            {
                Pre(sb, json);
                return;
            }

            foreach (var part in contents.EnumerateArray())
            {
                var type = part.TryGetProperty("$type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                switch (type)
                {
                    case "text" when part.TryGetProperty("text", out var text):
                        Pre(sb, text.ValueKind == JsonValueKind.String ? text.GetString() : text.GetRawText());
                        break;
                    case "reasoning" when part.TryGetProperty("text", out var reasoning):
                        sb.Append("<div class=\"muted\">reasoning</div>");
                        Pre(sb, reasoning.GetString());
                        break;
                    case "functionCall":
                        sb.Append("<div>tool call <b>").Append(E(Prop(part, "name"))).Append("</b> <span class=\"muted\">").Append(E(Prop(part, "callId"))).Append("</span></div>");
                        Pre(sb, part.TryGetProperty("arguments", out var args) ? Pretty(args) : "");
                        break;
                    case "functionResult":
                        sb.Append("<div>tool result <span class=\"muted\">").Append(E(Prop(part, "callId"))).Append("</span></div>");
                        Pre(sb, part.TryGetProperty("result", out var result) ? (result.ValueKind == JsonValueKind.String ? result.GetString() : Pretty(result)) : "");
                        break;
                    default:
                        Pre(sb, Pretty(part));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            Pre(sb, json);
        }
    }

    private static string? Prop(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Pretty(JsonElement e) => JsonSerializer.Serialize(e, PrettyJson.Options);

    private static void Pre(StringBuilder sb, string? text) => sb.Append("<pre>").Append(E(Cap(text, MaxPart))).Append("</pre>");
}
