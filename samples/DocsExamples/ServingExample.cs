using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mlrb.Eval.Serving;

namespace DocsExamples;

/// <summary>docs/serving.md: serve a model folder over the OpenAI API and call /v1/completions.</summary>
public static class ServingExample
{
    public static async Task<string> RunAsync(string modelDirectory)
    {
        // Loopback, a free port; set ApiKey (and Host) to serve beyond this machine.
        await using var server = await OpenAiServer.StartAsync(modelDirectory, new OpenAiServerOptions { Port = 0 });
        Console.WriteLine($"serving '{server.ModelId}' at {server.BaseAddress}");

        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(server.BaseAddress, "completions"), new
        {
            model = server.ModelId,
            prompt = "The cat",
            max_tokens = 8,
            temperature = 0,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (string)body!["choices"]![0]!["text"]!;
    }
}
