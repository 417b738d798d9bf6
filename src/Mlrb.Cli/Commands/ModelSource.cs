using System.CommandLine;
using Mlrb.Eval.Models.Adapters;

namespace Mlrb.Cli.Commands;

/// <summary>
/// The model a verb loads: a model folder, optionally with a LoRA/PEFT adapter folder merged in. <c>--model</c> may name the adapter folder
/// itself; its base is then <c>--base</c>, or <c>base_model_name_or_path</c> when that is a local model folder
/// (as written, or beside the adapter folder).
/// </summary>
/// <param name="Model">The base model folder.</param>
/// <param name="Adapter">The adapter folder, or null.</param>
internal sealed record ModelSource(string Model, string? Adapter)
{
    /// <summary>The <c>--adapter</c> option.</summary>
    public static Option<string?> AdapterOption()
        => new("--adapter") { Description = "A LoRA/PEFT adapter folder (adapter_config.json + adapter_model.safetensors) merged into --model at load." };

    /// <summary>The <c>--base</c> option.</summary>
    public static Option<string?> BaseOption()
        => new("--base") { Description = "The base model folder when --model is a LoRA/PEFT adapter folder." };

    /// <summary>Resolves the options; throws <see cref="ArgumentException"/> with a one-line message when they do not fit together.</summary>
    public static ModelSource Resolve(string model, string? adapter, string? baseModel)
    {
        if (adapter is not null)
        {
            if (baseModel is not null)
            {
                throw new ArgumentException("give either --adapter DIR (with --model the base folder) or --model ADAPTER --base DIR, not both.");
            }

            return Directory.Exists(adapter) ? new ModelSource(model, adapter) : throw new ArgumentException($"--adapter {adapter}: adapter folder not found.");
        }

        if (!Directory.Exists(model) || !AdapterFolder.IsAdapter(model))
        {
            return baseModel is null
                ? new ModelSource(model, null)
                : throw new ArgumentException($"--base is for an adapter folder given as --model, and {model} is not one (no adapter_config.json, or it has a config.json).");
        }

        if (baseModel is not null)
        {
            return Directory.Exists(baseModel) ? new ModelSource(baseModel, model) : throw new ArgumentException($"--base {baseModel}: model folder not found.");
        }

        var named = AdapterFolder.Inspect(model).BaseModel;
        // A local base is found as written (relative to the working folder) or beside the adapter folder.
        var local = named is null ? null : new[] { named, Path.Combine(model, "..", named) }.FirstOrDefault(d => File.Exists(Path.Combine(d, "config.json")));
        return local is not null
            ? new ModelSource(Path.GetFullPath(local), model)
            : throw new ArgumentException($"{model} is a LoRA adapter folder (base model '{named ?? "not named"}'); pass the base model folder with --base DIR.");
    }
}
