using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mlrb.SemanticKernel.Tests;

/// <summary>Model replies for the scripted runs.</summary>
internal static class Scripts
{
    public const string Plan = """
        {"rationale":"write, then submit","steps":[
          {"id":1,"title":"Write the model","instruction":"Write model/config.json.","dependsOn":[]},
          {"id":2,"title":"Submit","instruction":"Call return_fn.","dependsOn":[1]}]}
        """;

    public const string Accept = """{"verdict":"accept","notes":"ok"}""";

    public static ChatResponse Call(string tool, object arguments) => new(new ChatMessage(ChatRole.Assistant,
        [new FunctionCallContent("call-" + Guid.NewGuid().ToString("N")[..6], tool, JsonSerializer.SerializeToElement(arguments).Deserialize<Dictionary<string, object?>>())]))
    {
        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 },
    };

    public static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 },
    };

    public static IEnumerable<ChatResponse> WorkerTurns()
    {
        yield return Call("write_code", new { path = "model/config.json", code = "{\"n_layer\": 2}" });
        yield return Call("finish_subtask", new { summary = "written", success = true });
        yield return Call("return_fn", new { submission = "{\"val_loss\": 2.5}", model_path = "model" });
    }
}
