using System.CommandLine;
using Mlrb.Cli.Commands.Eval;
using Mlrb.Cli.Commands.Generate;

namespace Mlrb.Cli.Commands;

/// <summary>
/// The <c>mlrb generate</c> verb: continue one prompt (streamed to stdout) or a JSONL file of prompts (decoded together in
/// one continuous batch), greedy by default, with the throughput on stderr. Exit codes: 0 done, 1 model or request error,
/// 2 bad arguments, 130 interrupted.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json, *.safetensors, tokenizer).", Required = true };
        var adapter = ModelSource.AdapterOption();
        var baseModel = ModelSource.BaseOption();
        var prompt = new Option<string?>("--prompt") { Description = "The prompt to continue." };
        var prompts = new Option<string?>("--prompts") { Description = "A JSON-lines file of {\"prompt\": ...} objects (optional \"id\"), generated as one batch." };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate per prompt.", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature") { Description = "0 for greedy decoding; above 0 samples.", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold (sampling only).", DefaultValueFactory = _ => 1 };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens (sampling only; 0 keeps all).", DefaultValueFactory = _ => 0 };
        var seed = new Option<long?>("--seed") { Description = "Sampler seed: the same seed gives the same output." };
        var stop = new Option<string[]>("--stop") { Description = "A stop string (repeatable); the output is cut before it.", AllowMultipleArgumentsPerToken = false };
        var noSpecial = new Option<bool>("--no-special-tokens") { Description = "Encode prompts without the tokenizer's special tokens (lm-evaluation-harness's generate_until does)." };
        var ignoreEos = new Option<bool>("--ignore-eos") { Description = "Keep generating past the end-of-sequence token." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores)." };
        var device = DeviceOption.Create();
        var json = new Option<bool>("--json") { Description = "Print JSON (one object; one line per prompt with --prompts) instead of text." };
        var command = new Command("generate", "Generate text with a model folder (greedy or sampled, stop strings, streaming), with tokens/s.")
        {
            model, adapter, baseModel, prompt, prompts, maxNew, temperature, topP, topK, seed, stop, noSpecial, ignoreEos, threads, device, json,
        };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var settings = new GenerateSettings
            {
                Model = parse.GetRequiredValue(model),
                Adapter = parse.GetValue(adapter),
                Base = parse.GetValue(baseModel),
                Prompt = parse.GetValue(prompt),
                PromptsFile = parse.GetValue(prompts),
                MaxNewTokens = parse.GetValue(maxNew),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                Seed = parse.GetValue(seed),
                Stop = parse.GetValue(stop) ?? [],
                AddSpecialTokens = !parse.GetValue(noSpecial),
                IgnoreEos = parse.GetValue(ignoreEos),
                Threads = parse.GetValue(threads),
                Device = parse.GetValue(device)!,
                Json = parse.GetValue(json),
            };
            var problem = settings.Validate();
            if (problem is not null)
            {
                error.WriteLine($"mlrb generate: {problem}");
                return 2;
            }

            var output = parse.InvocationConfiguration.Output;
            return CtrlC.Run(error, ct => GenerateRunner.RunAsync(settings, output, error, ct), "generate");
        });
        return command;
    }
}
