using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlrb.Cli.Commands.Run;

/// <summary>
/// Before an agent run against an OpenAI-compatible <c>--endpoint</c>, asks its <c>/models</c> what it serves. A server
/// that says (as <c>mlrb serve</c> does, in <c>capabilities</c>) that the model's chat template has no chat or no tool
/// support is refused at start with a message saying so, since the agent works through tool calls; with no <c>--model</c>
/// and exactly one model served, that model is used. Servers that do not answer, or answer without capabilities, are left
/// to the run itself.
/// </summary>
internal static class LocalModelProbe
{
    /// <summary>The model to use (null: keep the configured one) or an error that stops the run before it starts.</summary>
    public sealed record Outcome(string? Model, string? Error);

    public static async Task<Outcome> CheckAsync(Uri endpoint, string? model, string? apiKey, HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        JsonArray? models;
        try
        {
            using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
            http.Timeout = TimeSpan.FromSeconds(10);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint.ToString().TrimEnd('/') + "/models"));
            if (!string.IsNullOrEmpty(apiKey))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return new Outcome(null, null);
            }

            models = (JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) as JsonObject)?["data"] as JsonArray;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return new Outcome(null, null);
        }

        var entries = models?.OfType<JsonObject>().ToList() ?? [];
        var entry = model is null ? (entries.Count == 1 ? entries[0] : null) : entries.FirstOrDefault(e => (string?)e["id"] == model);
        if (entry is null)
        {
            return new Outcome(null, null);
        }

        var id = (string?)entry["id"];
        if (entry["capabilities"] is JsonObject capabilities)
        {
            if (capabilities["chat"] is JsonValue chat && chat.GetValueKind() == JsonValueKind.False)
            {
                return new Outcome(null, $"the model '{id}' at {endpoint} has no chat template, so it cannot hold the agent's conversation (serve a model whose tokenizer_config.json has a chat_template).");
            }

            if (capabilities["tools"] is JsonValue tools && tools.GetValueKind() == JsonValueKind.False)
            {
                return new Outcome(null, $"the model '{id}' at {endpoint} has a chat template without tool support (it never reads 'tools'); the agent works through tool calls, so serve a model whose chat template supports tools.");
            }
        }

        return new Outcome(model is null ? id : null, null);
    }
}
