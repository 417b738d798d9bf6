using System.Collections.Frozen;
using System.Reflection;

namespace Mlrb.Tasks.Loading;

/// <summary>The snake_case field names of task files (YAML and JSON share them).</summary>
internal static class TaskSchema
{
    /// <summary>Every field name of the schema.</summary>
    public static readonly FrozenSet<string> All = typeof(TaskSchema)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToFrozenSet(StringComparer.Ordinal);

    public const string Name = "name";
    public const string FullName = "full_name";
    public const string Suite = "suite";
    public const string BaseTask = "base_task";
    public const string Task = "task";
    public const string DatasetPolicy = "dataset_policy";
    public const string Datasets = "datasets";
    public const string HuggingFaceId = "hugging_face_id";
    public const string Config = "config";
    public const string Splits = "splits";
    public const string Rows = "rows";
    public const string Columns = "columns";
    public const string ModelPolicy = "model_policy";
    public const string AllowedModels = "allowed_models";
    public const string Libraries = "libraries";
    public const string Compute = "compute";
    public const string GpuKind = "gpu_kind";
    public const string GpuCount = "gpu_count";
    public const string GpuMemoryGb = "gpu_memory_gb";
    public const string RamGb = "ram_gb";
    public const string DiskGb = "disk_gb";
    public const string TimeLimit = "time_limit";
    public const string ExpectedResult = "expected_result";
    public const string Rules = "rules";
    public const string Evaluation = "evaluation";
    public const string Benchmarks = "benchmarks";
    public const string Shots = "shots";
    public const string Metric = "metric";
    public const string Subtasks = "subtasks";
    public const string Aggregation = "aggregation";
    public const string AggregationFormula = "aggregation_formula";
    public const string SelfEvaluationCommand = "self_evaluation_command";
    public const string Generation = "generation";
    public const string DataFolder = "data_folder";
    public const string HeldOutRows = "held_out_rows";
    public const string Items = "items";
    public const string PromptTemplate = "prompt_template";
    public const string ReferenceField = "reference_field";
    public const string MaxNewTokens = "max_new_tokens";
    public const string StopSequences = "stop_sequences";
    public const string AdditionalInfo = "additional_info";
    public const string Formula = "formula";
    public const string StarterCode = "starter_code";
    public const string StarterKit = "starter_kit";
    public const string DeviceMemoryLimitGb = "device_memory_limit_gb";
    public const string AllowedPrecisions = "allowed_precisions";
    public const string MaxParameters = "max_parameters";
    public const string BaseModel = "base_model";
    public const string Choices = "choices";
    public const string Field = "field";
    public const string Conflict = "conflict";
    public const string Choice = "choice";
}
