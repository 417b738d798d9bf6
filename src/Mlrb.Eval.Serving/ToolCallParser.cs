using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mlrb.Eval.Serving;

/// <summary>
/// Finds tool calls in a model's output, in the formats chat templates ask for: Hermes/Qwen
/// <c>&lt;tool_call&gt;{"name", "arguments"}&lt;/tool_call&gt;</c> blocks, Mistral's <c>[TOOL_CALLS] [...]</c>, and a
/// bare JSON object or list of <c>{"name", "arguments"|"parameters"}</c> (Llama 3.1, optionally after <c>&lt;|python_tag|&gt;</c>).
/// </summary>
internal static partial class ToolCallParser
{
    public static ParsedOutput Parse(string text)
    {
        var calls = new List<ToolCall>();
        var tagged = TaggedCall().Matches(text);
        if (tagged.Count > 0)
        {
            foreach (Match m in tagged)
            {
                AddCalls(m.Groups["json"].Value, calls);
            }

            return new ParsedOutput(TaggedCall().Replace(text, string.Empty).Trim(), calls);
        }

        var trimmed = text.Trim();
        foreach (var prefix in new[] { "[TOOL_CALLS]", "<|python_tag|>" })
        {
            if (trimmed.StartsWith(prefix, StringComparison.Ordinal))
            {
                trimmed = trimmed[prefix.Length..].Trim();
            }
        }

        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            AddCalls(trimmed, calls);
            if (calls.Count > 0)
            {
                return new ParsedOutput(string.Empty, calls);
            }
        }

        return new ParsedOutput(text, calls);
    }

    private static void AddCalls(string json, List<ToolCall> calls)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json.Trim());
        }
        catch (JsonException)
        {
            return;
        }

        foreach (var item in node is JsonArray a ? a.ToList() : [node])
        {
            if (item is JsonObject o && o["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String)
            {
                var args = o["arguments"] ?? o["parameters"];
                var text = args switch
                {
                    null => "{}",
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    _ => args.ToJsonString(),
                };
                calls.Add(new ToolCall(name.GetValue<string>(), text));
            }
        }
    }

    [GeneratedRegex(@"<tool_call>\s*(?<json>.*?)\s*(</tool_call>|$)", RegexOptions.Singleline)]
    private static partial Regex TaggedCall();

    internal sealed record ToolCall(string Name, string Arguments);

    internal sealed record ParsedOutput(string Content, IReadOnlyList<ToolCall> Calls);
}
