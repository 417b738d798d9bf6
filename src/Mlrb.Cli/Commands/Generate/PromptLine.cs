using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlrb.Cli.Commands.Generate;

/// <summary>One prompt of <c>--prompts FILE.jsonl</c>: <c>{"prompt": "...", "id": any}</c>.</summary>
internal sealed record PromptLine(JsonNode? Id, string Prompt)
{
    public static IReadOnlyList<PromptLine> ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"--prompts: {path} not found.");
        }

        var lines = new List<PromptLine>();
        var n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"{path}:{n}: not valid JSON ({ex.Message}).");
            }

            if (node is not JsonObject o || o["prompt"] is not JsonValue v || !v.TryGetValue<string>(out var prompt))
            {
                throw new ArgumentException($"{path}:{n}: expected an object with a string \"prompt\".");
            }

            lines.Add(new PromptLine(o["id"]?.DeepClone(), prompt));
        }

        return lines.Count > 0 ? lines : throw new ArgumentException($"--prompts: {path} holds no prompts.");
    }
}
