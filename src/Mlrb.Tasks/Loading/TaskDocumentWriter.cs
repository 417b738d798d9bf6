using Mlrb.Tasks.Loading.Documents;

namespace Mlrb.Tasks.Loading;

/// <summary>
/// Turns a <see cref="ResearchTask"/> into an ordered tree of fields (strings, numbers, lists, nested fields)
/// that the YAML and JSON emitters write with the task-file schema.
/// </summary>
internal static class TaskDocumentWriter
{
    public static Fields ToFields(ResearchTask task)
    {
        var fields = new Fields
        {
            { TaskSchema.Name, task.Name },
            { TaskSchema.FullName, task.FullName },
            { TaskSchema.Suite, SchemaNames.ToSnakeCase(task.Suite.ToString()) },
            { TaskSchema.BaseTask, task.BaseTask },
            { TaskSchema.Task, task.TaskText },
            { TaskSchema.DatasetPolicy, task.DatasetPolicy },
            { TaskSchema.Datasets, task.Datasets.Select(Dataset).ToList<object?>() },
            { TaskSchema.ModelPolicy, task.ModelPolicy },
            { TaskSchema.AllowedModels, task.AllowedModels.ToList<object?>() },
            { TaskSchema.Libraries, task.Libraries.ToList<object?>() },
            {
                TaskSchema.Compute, new Fields
                {
                    { TaskSchema.GpuKind, task.Compute.GpuKind },
                    { TaskSchema.GpuCount, (long)task.Compute.GpuCount },
                    { TaskSchema.GpuMemoryGb, (long)task.Compute.GpuMemoryGb },
                    { TaskSchema.RamGb, (long)task.Compute.RamGb },
                    { TaskSchema.DiskGb, (long)task.Compute.DiskGb },
                }
            },
            { TaskSchema.TimeLimit, DurationText.ToCompact(task.TimeLimit) },
            { TaskSchema.ExpectedResult, task.ExpectedResult },
            { TaskSchema.Rules, task.Rules.ToList<object?>() },
            { TaskSchema.Evaluation, Evaluation(task.Evaluation) },
            { TaskSchema.AdditionalInfo, task.AdditionalInfo },
            { TaskSchema.Formula, task.Formula },
            { TaskSchema.StarterCode, task.StarterCode?.AbsoluteUri },
            { TaskSchema.StarterKit, task.StarterKit },
            { TaskSchema.DeviceMemoryLimitGb, task.DeviceMemoryLimitGb is { } gb ? (long)gb : null },
            { TaskSchema.AllowedPrecisions, task.AllowedPrecisions.Select(p => (object?)SchemaNames.ToSnakeCase(p.ToString())).ToList() },
            { TaskSchema.MaxParameters, task.MaxParameters },
            { TaskSchema.BaseModel, task.BaseModel },
            { TaskSchema.Choices, task.Choices.Select(Choice).ToList<object?>() },
        };
        return fields;
    }

    private static Fields Dataset(DatasetRef dataset) => new()
    {
        { TaskSchema.HuggingFaceId, dataset.HuggingFaceId },
        { TaskSchema.Config, dataset.Config },
        {
            TaskSchema.Splits, dataset.Splits.Select(s => (object?)new Fields
            {
                { TaskSchema.Name, s.Name },
                { TaskSchema.Rows, s.Rows },
                { TaskSchema.Columns, s.Columns.ToList<object?>() },
            }).ToList()
        },
    };

    private static Fields Evaluation(EvaluationSpec evaluation)
    {
        var fields = EvaluationFields(evaluation);
        if (evaluation.Generation is { } g)
        {
            fields.Add(TaskSchema.Generation, new Fields
            {
                { TaskSchema.DataFolder, g.DataFolder },
                { TaskSchema.HeldOutRows, (long)g.HeldOutRows },
                { TaskSchema.Items, (long)g.Items },
                { TaskSchema.PromptTemplate, g.PromptTemplate },
                { TaskSchema.ReferenceField, g.ReferenceField },
                { TaskSchema.MaxNewTokens, (long)g.MaxNewTokens },
                { TaskSchema.StopSequences, g.StopSequences.ToList<object?>() },
            });
        }

        return fields;
    }

    private static Fields EvaluationFields(EvaluationSpec evaluation) => new()
    {
        {
            TaskSchema.Benchmarks, evaluation.Benchmarks.Select(b => (object?)new Fields
            {
                { TaskSchema.Name, b.Name },
                { TaskSchema.Shots, (long)b.Shots },
                { TaskSchema.Metric, b.Metric },
                { TaskSchema.Subtasks, b.Subtasks.ToList<object?>() },
            }).ToList()
        },
        { TaskSchema.Aggregation, SchemaNames.ToSnakeCase(evaluation.Aggregation.ToString()) },
        { TaskSchema.AggregationFormula, evaluation.AggregationFormula },
        { TaskSchema.SelfEvaluationCommand, evaluation.SelfEvaluationCommand },
    };

    private static Fields Choice(SpecificationChoice choice) => new()
    {
        { TaskSchema.Field, choice.Field },
        { TaskSchema.Conflict, choice.Conflict },
        { TaskSchema.Choice, choice.Choice },
    };
}

/// <summary>An ordered set of named values: string, long, <see cref="List{T}"/> of values, or nested <see cref="Fields"/>.</summary>
internal sealed class Fields : List<KeyValuePair<string, object?>>
{
    public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
}
