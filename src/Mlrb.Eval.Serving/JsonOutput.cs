using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlrb.Eval.Serving;

/// <summary>Response JSON: characters written as themselves where JSON allows (no HTML-safe escaping of &lt;, &gt;, &amp;, ').</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode node) => node.ToJsonString(Options);
}
