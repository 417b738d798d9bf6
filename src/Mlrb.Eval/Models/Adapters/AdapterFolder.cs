using Mlrb.Eval.Statistics;

namespace Mlrb.Eval.Models.Adapters;

/// <summary>PEFT LoRA adapter folders (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>): recognising, checking and counting them.</summary>
public static class AdapterFolder
{
    /// <summary>Whether <paramref name="directory"/> is an adapter folder rather than a model folder (it has <c>adapter_config.json</c> and no <c>config.json</c>).</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>True for an adapter folder.</returns>
    public static bool IsAdapter(string directory)
        => File.Exists(Path.Combine(directory, LoraAdapterConfig.FileName)) && !File.Exists(Path.Combine(directory, "config.json"));

    /// <summary>
    /// Opens the adapter, checks that the engine can merge it (a configuration it cannot honour, such as DoRA, is an error) and counts its parameters.
    /// </summary>
    /// <param name="directory">The adapter folder.</param>
    /// <returns>What the adapter holds.</returns>
    /// <exception cref="ModelFormatException">The folder is not a LoRA adapter the engine merges.</exception>
    public static AdapterStatistics Inspect(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        using var adapter = LoraAdapter.Open(directory);
        return new AdapterStatistics
        {
            Parameters = adapter.ParameterCount,
            Rank = adapter.Config.Rank,
            Alpha = adapter.Config.Alpha,
            UseRsLora = adapter.Config.UseRsLora,
            LoraModules = adapter.LoraModuleCount,
            TargetModules = adapter.Config.TargetModules,
            ModulesToSave = adapter.Config.ModulesToSave,
            BaseModel = adapter.Config.BaseModel,
        };
    }
}
