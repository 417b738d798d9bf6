using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Testing;

namespace Mlrb.Eval.Serving.Tests;

/// <summary>Helpers: model folders (a copy with a chat template), raw HTTP calls and SSE reading.</summary>
internal static class ServerFixture
{
    public static string Gpt2 => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");

    public static string Llama => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-llama");

    /// <summary>A copy of a tiny model folder with a tokenizer_config.json carrying <paramref name="template"/>.</summary>
    public static string WithChatTemplate(string model, string template)
    {
        var folder = TestPaths.CreateTempDirectory("mlrb-serve-model");
        foreach (var file in Directory.GetFiles(model))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = File.Exists(configPath) ? JsonNode.Parse(File.ReadAllText(configPath))!.AsObject() : [];
        config["chat_template"] = template;
        File.WriteAllText(configPath, config.ToJsonString());
        return folder;
    }

    public static async Task<(int Status, JsonObject Body)> PostAsync(HttpClient http, Uri baseAddress, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(new Uri(baseAddress, path), body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public static async Task<(int Status, JsonObject Body)> PostRawAsync(HttpClient http, Uri baseAddress, string path, string json)
    {
        using var response = await http.PostAsync(new Uri(baseAddress, path), new StringContent(json, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>The <c>data:</c> payloads of an SSE response, up to and excluding <c>[DONE]</c> (asserted present).</summary>
    public static async Task<List<JsonObject>> StreamAsync(HttpClient http, Uri baseAddress, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, path)) { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<JsonObject>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.That(line, Is.Empty, "SSE lines are data lines separated by blank lines");
                continue;
            }

            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                return events;
            }

            events.Add(JsonNode.Parse(data)!.AsObject());
        }

        Assert.Fail("the stream ended without data: [DONE]");
        return events;
    }
}
