using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Eval.Generation;

namespace Mlrb.Cli.Commands.Generate;

/// <summary>Runs <c>mlrb generate</c>: loads the model, generates, prints text or JSON, and the throughput.</summary>
internal static class GenerateRunner
{
    public static async Task<int> RunAsync(GenerateSettings s, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var source = ModelSource.Resolve(s.Model, s.Adapter, s.Base);
        var prompts = s.PromptsFile is null ? [new PromptLine(null, s.Prompt!)] : PromptLine.ReadFile(s.PromptsFile);
        DeviceOption.CheckAndAnnounce(s.Device, error);

        var load = Stopwatch.StartNew();
        using var generator = TextGenerator.Load(source.Model, new TextGeneratorOptions { Threads = s.Threads, Adapter = source.Adapter, Device = s.Device });
        load.Stop();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<GenerationResult> results;
        try
        {
            if (s.PromptsFile is null && !s.Json)
            {
                results = [await StreamAsync(generator, new GenerationRequest(s.Prompt!, s.Options), output, cancellationToken).ConfigureAwait(false)];
            }
            else
            {
                results = await generator.GenerateAsync(prompts.Select(p => new GenerationRequest(p.Prompt, s.Options)).ToList(), cancellationToken: cancellationToken).ConfigureAwait(false);
                WriteJson(s, prompts, results, output);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("mlrb generate: interrupted.").ConfigureAwait(false);
            return 130;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var tokens = results.Sum(r => r.TokenIds.Count);
        await error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{results.Count} prompt(s), {tokens} tokens generated in {seconds:0.00} s: {(seconds > 0 ? tokens / seconds : 0):0.0} tokens/s (model loaded in {load.Elapsed.TotalSeconds:0.00} s)")).ConfigureAwait(false);
        return 0;
    }

    private static async Task<GenerationResult> StreamAsync(ITextGenerator generator, GenerationRequest request, TextWriter output, CancellationToken cancellationToken)
    {
        GenerationResult? result = null;
        await foreach (var update in generator.GenerateStreamingAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (update.Text.Length > 0)
            {
                await output.WriteAsync(update.Text).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            result = update.Result ?? result;
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        return result!;
    }

    private static void WriteJson(GenerateSettings s, IReadOnlyList<PromptLine> prompts, IReadOnlyList<GenerationResult> results, TextWriter output)
    {
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var json = new JsonObject();
            if (prompts[i].Id is { } id)
            {
                json["id"] = id.DeepClone();
            }

            json["prompt"] = prompts[i].Prompt;
            json["text"] = r.Text;
            json["finish_reason"] = FinishReasons.Name(r.FinishReason);
            json["stop_sequence"] = r.StopSequence;
            json["prompt_tokens"] = r.PromptTokenCount;
            json["generated_tokens"] = r.TokenIds.Count;
            json["token_ids"] = new JsonArray(r.TokenIds.Select(t => (JsonNode)t).ToArray());
            json["seconds"] = r.Duration.TotalSeconds;
            output.WriteLine(json.ToJsonString(s.PromptsFile is null ? Indented : Compact));
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly JsonSerializerOptions Compact = new();
}
