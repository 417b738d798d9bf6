using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Middleware;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Replay;

/// <summary>
/// The model side of a run, to be played back offline: a JSON-lines file with one assistant turn per line, either
/// exported from a stored run (<see cref="FromTranscript"/>) or written by hand. Played back through
/// <see cref="AsChatClient"/> (or <c>--provider replay --transcript FILE</c>), it drives the real tools, sandbox, store
/// and scorer with no API key, deterministically.
/// </summary>
/// <remarks>
/// <para>Line format (blank lines and lines starting with <c>#</c> are skipped):</para>
/// <code>
/// {"agent": "worker-1", "text": "optional", "tool_calls": [{"id": "call_1", "name": "run_python", "arguments": {"filepath": "train.py"}}], "usage": {"input_tokens": 120, "output_tokens": 30}}
/// {"tool": "return_fn", "arguments": {"submission": "{\"loss\": 1.2}", "model_path": "model"}}
/// </code>
/// <para>The second form is shorthand for one call. Without <c>agent</c> a turn answers whichever worker asks next.
/// Supervisor calls with no scripted turn get a one-step plan and an <c>accept</c> review; a worker whose turns are
/// used up gets a plain text reply, so the run ends without a submission.</para>
/// </remarks>
public sealed class ReplayScript
{
    /// <summary>The agent name of the supervisor's turns.</summary>
    public const string SupervisorAgent = "supervisor";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates a script from turns.</summary>
    /// <param name="turns">The turns, in order.</param>
    /// <param name="source">Where they came from (for messages).</param>
    public ReplayScript(IEnumerable<ReplayTurn> turns, string source = "script")
    {
        ArgumentNullException.ThrowIfNull(turns);
        Turns = [.. turns];
        Source = source;
    }

    /// <summary>The turns, in order.</summary>
    public IReadOnlyList<ReplayTurn> Turns { get; }

    /// <summary>Where the script came from, e.g. its file.</summary>
    public string Source { get; }

    /// <summary>Reads a script file.</summary>
    /// <param name="path">The JSON-lines file.</param>
    /// <returns>The script.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">A line is not a valid turn (the message names file and line).</exception>
    public static ReplayScript Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Replay transcript not found: {path}", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses script text.</summary>
    /// <param name="text">JSON lines.</param>
    /// <param name="source">Name for error messages.</param>
    /// <returns>The script.</returns>
    /// <exception cref="FormatException">A line is not a valid turn.</exception>
    public static ReplayScript Parse(string text, string source = "script")
    {
        ArgumentNullException.ThrowIfNull(text);
        var turns = new List<ReplayTurn>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            try
            {
                turns.Add(ParseTurn(JsonNode.Parse(line) as JsonObject ?? throw new FormatException("each line must be a JSON object")));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
                throw new FormatException($"{source}:{lineNumber}: {ex.Message}", ex);
            }
        }

        return new ReplayScript(turns, source);
    }

    /// <summary>The assistant turns of a stored run's transcript, in the order they were made, with their agents and usage.</summary>
    /// <param name="messages">The run's transcript (<see cref="IRunStore.GetMessagesAsync"/>).</param>
    /// <returns>The script.</returns>
    public static ReplayScript FromTranscript(IEnumerable<MessageRecord> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var turns = new List<ReplayTurn>();
        string? runId = null;
        foreach (var record in messages.Where(m => m.Role == ChatRole.Assistant.Value))
        {
            runId ??= record.RunId;
            var message = TranscriptChatClient.Deserialize(record);
            var calls = message.Contents.OfType<FunctionCallContent>()
                .Select(c => new ReplayToolCall(c.CallId, c.Name, JsonSerializer.SerializeToElement(c.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions)))
                .ToList();
            turns.Add(new ReplayTurn
            {
                Agent = record.Agent,
                Text = string.IsNullOrEmpty(message.Text) ? null : message.Text,
                ToolCalls = calls,
                InputTokens = record.InputTokens,
                OutputTokens = record.OutputTokens,
            });
        }

        return new ReplayScript(turns, runId is null ? "transcript" : "run " + runId);
    }

    /// <summary>The script as JSON lines (the format <see cref="Load"/> reads).</summary>
    /// <returns>The text.</returns>
    public string ToJsonLines()
    {
        var text = new StringBuilder();
        foreach (var turn in Turns)
        {
            var node = new JsonObject();
            if (turn.Agent is not null)
            {
                node["agent"] = turn.Agent;
            }

            if (turn.Text is not null)
            {
                node["text"] = turn.Text;
            }

            if (turn.ToolCalls.Count > 0)
            {
                node["tool_calls"] = new JsonArray(turn.ToolCalls.Select(c =>
                {
                    var call = new JsonObject();
                    if (c.Id is not null)
                    {
                        call["id"] = c.Id;
                    }

                    call["name"] = c.Name;
                    call["arguments"] = JsonNode.Parse(c.Arguments.GetRawText());
                    return (JsonNode)call;
                }).ToArray());
            }

            if (turn.InputTokens > 0 || turn.OutputTokens > 0)
            {
                node["usage"] = new JsonObject { ["input_tokens"] = turn.InputTokens, ["output_tokens"] = turn.OutputTokens };
            }

            text.Append(node.ToJsonString(Compact)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes the script as JSON lines.</summary>
    /// <param name="path">The file (replaced).</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var temp = path + ".tmp";
        File.WriteAllText(temp, ToJsonLines());
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A chat client that answers from this script (each client plays the script from its start).</summary>
    /// <returns>The client.</returns>
    public IChatClient AsChatClient() => new ReplayChatClient(this);

    private static ReplayTurn ParseTurn(JsonObject node)
    {
        var calls = new List<ReplayToolCall>();
        if (node["tool"] is { } single)
        {
            calls.Add(new ReplayToolCall(null, Name(single), Arguments(node["arguments"])));
        }

        if (node["tool_calls"] is JsonArray array)
        {
            foreach (var item in array)
            {
                var call = item as JsonObject ?? throw new FormatException("each entry of 'tool_calls' must be an object");
                calls.Add(new ReplayToolCall(call["id"]?.GetValue<string>(), Name(call["name"]), Arguments(call["arguments"])));
            }
        }
        else if (node["tool_calls"] is not null)
        {
            throw new FormatException("'tool_calls' must be an array");
        }

        var text = node["text"]?.GetValue<string>();
        if (calls.Count == 0 && text is null)
        {
            throw new FormatException("a turn needs 'text', 'tool' or 'tool_calls'");
        }

        var usage = node["usage"] as JsonObject;
        return new ReplayTurn
        {
            Agent = node["agent"]?.GetValue<string>(),
            Text = text,
            ToolCalls = calls,
            InputTokens = usage?["input_tokens"]?.GetValue<long>() ?? 0,
            OutputTokens = usage?["output_tokens"]?.GetValue<long>() ?? 0,
        };
    }

    private static string Name(JsonNode? node)
    {
        var name = node?.GetValue<string>();
        return string.IsNullOrWhiteSpace(name) ? throw new FormatException("a tool call needs a 'name'") : name;
    }

    private static JsonElement Arguments(JsonNode? node) => node switch
    {
        null => JsonSerializer.SerializeToElement(new JsonObject()),
        JsonObject o => JsonSerializer.SerializeToElement(o),
        JsonValue v when v.TryGetValue<string>(out var s) => JsonDocument.Parse(s).RootElement.Clone(),
        _ => throw new FormatException("'arguments' must be an object (or a string holding one)"),
    };

    internal static string NewCallId(int n) => "replay_" + n.ToString(CultureInfo.InvariantCulture);
}
