namespace Mlrb.Eval.Models.Architectures;

/// <summary>
/// A model family: how its <c>config.json</c> maps to a <see cref="ModelConfig"/> (the operations and their order) and how its
/// checkpoint tensors map to <see cref="ModelWeights"/> (which weights each operation uses).
/// </summary>
internal interface IArchitecture
{
    /// <summary>The <c>model_type</c> values it reads.</summary>
    IReadOnlyList<string> ModelTypes { get; }

    /// <summary>Reads the config; every field that changes the maths is honoured or refused.</summary>
    ModelConfig ReadConfig(string modelType, ConfigFields fields);

    /// <summary>Creates the weights on the binder's backend.</summary>
    ModelWeights Bind(ModelConfig config, WeightBinder binder);
}
