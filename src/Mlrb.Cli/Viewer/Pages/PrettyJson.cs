using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>Indented JSON that keeps characters readable (the page encodes it for HTML afterwards).</summary>
internal static class PrettyJson
{
    /// <summary>Serializer options: indented, relaxed escaping (safe because the output is HTML-encoded by the caller).</summary>
    public static JsonSerializerOptions Options { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Re-indents JSON text; returns it unchanged when it does not parse.</summary>
    public static string Format(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return string.Empty;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, Options);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
