namespace Mlrb.Eval.Statistics;

/// <summary>What a PEFT LoRA adapter folder holds (see <see cref="Models.Adapters.AdapterFolder.Inspect"/>).</summary>
public sealed record AdapterStatistics
{
    /// <summary>Elements of every tensor in <c>adapter_model.safetensors</c> (LoRA factors and modules saved whole).</summary>
    public required long Parameters { get; init; }

    /// <summary>The default rank <c>r</c>.</summary>
    public required int Rank { get; init; }

    /// <summary><c>lora_alpha</c>.</summary>
    public required double Alpha { get; init; }

    /// <summary>Whether the scale is alpha/sqrt(r) (rsLoRA) rather than alpha/r.</summary>
    public bool UseRsLora { get; init; }

    /// <summary>Modules with LoRA factors.</summary>
    public required int LoraModules { get; init; }

    /// <summary><c>target_modules</c> of the configuration.</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = [];

    /// <summary><c>modules_to_save</c> of the configuration.</summary>
    public IReadOnlyList<string> ModulesToSave { get; init; } = [];

    /// <summary><c>base_model_name_or_path</c>, or null.</summary>
    public string? BaseModel { get; init; }
}
