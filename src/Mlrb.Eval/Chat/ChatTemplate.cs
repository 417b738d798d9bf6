using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Eval.Chat.Jinja;

namespace Mlrb.Eval.Chat;

/// <summary>
/// A Hugging Face chat template (<c>chat_template</c> in <c>tokenizer_config.json</c>, or <c>chat_template.jinja</c>),
/// rendered as <c>tokenizer.apply_chat_template</c> does: Jinja with <c>trim_blocks</c> and <c>lstrip_blocks</c>, the
/// variables <c>messages</c>, <c>tools</c>, <c>add_generation_prompt</c>, <c>bos_token</c>, <c>eos_token</c>, and the
/// globals <c>raise_exception</c>, <c>strftime_now</c>, <c>namespace</c>, <c>range</c>, <c>dict</c>. The subset of Jinja that chat templates use is implemented;
/// anything else fails with a <see cref="ChatTemplateException"/> that names it.
/// </summary>
public sealed class ChatTemplate
{
    private readonly JinjaTemplate _template;
    private readonly Dictionary<string, string?> _specialTokens;

    private ChatTemplate(string source, JinjaTemplate template, Dictionary<string, string?> specialTokens)
    {
        Source = source;
        _template = template;
        _specialTokens = specialTokens;
    }

    /// <summary>The template's source.</summary>
    public string Source { get; }

    /// <summary>Whether the template reads <c>tools</c> (so tool definitions reach the model).</summary>
    public bool SupportsTools => _template.ReferencedNames.Contains("tools");

    /// <summary>Parses a template.</summary>
    /// <param name="source">The Jinja source.</param>
    /// <param name="bosToken">The value of <c>bos_token</c>.</param>
    /// <param name="eosToken">The value of <c>eos_token</c>.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ChatTemplateException">The source does not parse.</exception>
    public static ChatTemplate Parse(string source, string? bosToken = null, string? eosToken = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ChatTemplate(source, JinjaTemplate.Parse(source), new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["bos_token"] = bosToken,
            ["eos_token"] = eosToken,
        });
    }

    /// <summary>
    /// The model folder's template: <c>chat_template.jinja</c>, else <c>tokenizer_config.json</c>'s <c>chat_template</c>
    /// (a string, or a list of named templates of which "default" is used), with its special tokens
    /// (<c>bos_token</c>, <c>eos_token</c>, <c>unk_token</c>, <c>pad_token</c>). Null when the folder has none.
    /// </summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <returns>The template, or null.</returns>
    /// <exception cref="ChatTemplateException">The template is present but does not parse, or the config is malformed.</exception>
    public static ChatTemplate? Load(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var configPath = Path.Combine(modelDirectory, "tokenizer_config.json");
        JsonObject? config = null;
        if (File.Exists(configPath))
        {
            try
            {
                config = JsonNode.Parse(Files.BoundedFile.ReadAllText(configPath, Files.BoundedFile.ConfigLimit)) as JsonObject;
            }
            catch (JsonException ex)
            {
                throw new ChatTemplateException($"{configPath} is not valid JSON: {ex.Message}", ex);
            }
        }

        string? source = null;
        var jinjaPath = Path.Combine(modelDirectory, "chat_template.jinja");
        if (File.Exists(jinjaPath))
        {
            source = Files.BoundedFile.ReadAllText(jinjaPath, Files.BoundedFile.ConfigLimit);
        }
        else if (config?["chat_template"] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            source = v.GetValue<string>();
        }
        else if (config?["chat_template"] is JsonArray named)
        {
            source = named.OfType<JsonObject>().FirstOrDefault(t => (string?)t["name"] == "default")?["template"]?.GetValue<string>();
        }

        if (source is null)
        {
            return null;
        }

        var tokens = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in new[] { "bos_token", "eos_token", "unk_token", "pad_token" })
        {
            tokens[name] = config?[name] switch
            {
                JsonValue s when s.GetValueKind() == JsonValueKind.String => s.GetValue<string>(),
                JsonObject added => (string?)added["content"],
                _ => null,
            };
        }

        try
        {
            return new ChatTemplate(source, JinjaTemplate.Parse(source), tokens);
        }
        catch (ChatTemplateException ex)
        {
            throw new ChatTemplateException($"the chat template of {modelDirectory} does not parse: {ex.Message}", ex);
        }
    }

    /// <summary>Renders the conversation.</summary>
    /// <param name="messages">The messages (objects with <c>role</c>, <c>content</c>, and any other fields the template reads).</param>
    /// <param name="addGenerationPrompt">Append the assistant turn's opening (<c>add_generation_prompt</c>).</param>
    /// <param name="tools">Tool definitions (<c>tools</c>); null renders with <c>tools</c> = none, as Hugging Face does.</param>
    /// <param name="variables">More variables (e.g. <c>date_string</c>, <c>enable_thinking</c>).</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ChatTemplateException">The template refused the messages (<c>raise_exception</c>) or failed.</exception>
    public string Render(JsonArray messages, bool addGenerationPrompt = true, JsonArray? tools = null, JsonObject? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in _specialTokens)
        {
            if (v is not null)
            {
                vars[k] = v;
            }
        }

        vars["messages"] = FromJson(messages);
        vars["add_generation_prompt"] = addGenerationPrompt;
        vars["tools"] = tools is null ? null : FromJson(tools); // apply_chat_template passes tools=None when there are none
        vars["documents"] = null;

        if (variables is not null)
        {
            foreach (var (k, v) in variables)
            {
                vars[k] = FromJson(v);
            }
        }

        vars["raise_exception"] = new JinjaCallable("raise_exception", (a, _) => throw new ChatTemplateException(a.Count > 0 ? JinjaValues.Str(a[0]) : "raise_exception was called."));
        vars["strftime_now"] = new JinjaCallable("strftime_now", (a, _) => Strftime(DateTime.Now, a.Count > 0 ? JinjaValues.Str(a[0]) : "%Y-%m-%d"));
        vars["namespace"] = new JinjaCallable("namespace", (a, kw) =>
        {
            var ns = new JinjaNamespace();
            foreach (var (k, v) in kw)
            {
                ns.Values[k] = v;
            }

            return ns;
        });
        vars["range"] = new JinjaCallable("range", (a, _) =>
        {
            var n = a.Select(x => (long)JinjaValues.ToDouble(x)).ToList();
            var (start, stop, step) = n.Count switch
            {
                1 => (0L, n[0], 1L),
                2 => (n[0], n[1], 1L),
                3 => (n[0], n[1], n[2]),
                _ => throw new ChatTemplateException("range takes 1 to 3 arguments."),
            };
            if (step == 0)
            {
                throw new ChatTemplateException("range step must not be zero.");
            }

            var list = new List<object?>();
            for (var i = start; step > 0 ? i < stop : i > stop; i += step)
            {
                list.Add(i);
            }

            return list;
        });
        vars["dict"] = new JinjaCallable("dict", (_, kw) => new Dictionary<string, object?>(kw, StringComparer.Ordinal));
        try
        {
            return _template.Render(vars);
        }
        catch (ChatTemplateException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidCastException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw new ChatTemplateException($"the chat template failed: {ex.Message}", ex);
        }
    }

    private static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => FromJson(kv.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => Number(v),
            _ => null,
        },
        _ => null,
    };

    /// <summary>A JSON number as Python's json reads it: an int when written without a fraction or exponent, else a float.</summary>
    private static object Number(JsonValue v)
    {
        var text = v.ToJsonString();
        return text.IndexOfAny(['.', 'e', 'E']) < 0 && long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l)
            ? (object)l
            : v.GetValue<double>();
    }

    private static string Strftime(DateTime now, string format)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }

            var c = format[++i];
            sb.Append(c switch
            {
                'Y' => now.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture),
                'm' => now.ToString("MM", System.Globalization.CultureInfo.InvariantCulture),
                'd' => now.ToString("dd", System.Globalization.CultureInfo.InvariantCulture),
                'b' => now.ToString("MMM", System.Globalization.CultureInfo.InvariantCulture),
                'B' => now.ToString("MMMM", System.Globalization.CultureInfo.InvariantCulture),
                'H' => now.ToString("HH", System.Globalization.CultureInfo.InvariantCulture),
                'M' => now.ToString("mm", System.Globalization.CultureInfo.InvariantCulture),
                'S' => now.ToString("ss", System.Globalization.CultureInfo.InvariantCulture),
                '%' => "%",
                _ => "%" + c,
            });
        }

        return sb.ToString();
    }
}
