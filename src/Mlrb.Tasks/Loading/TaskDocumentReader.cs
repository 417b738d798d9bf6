using Mlrb.Tasks.Loading.Documents;

namespace Mlrb.Tasks.Loading;

/// <summary>Maps a parsed task file onto <see cref="ResearchTask"/>, checking every field.</summary>
internal static class TaskDocumentReader
{
    public static ResearchTask Read(DocumentNode root, string source)
    {
        var f = new FieldReader(root, source, string.Empty);
        var name = f.RequiredString(TaskSchema.Name);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw f.Error(f.Required(TaskSchema.Name), TaskSchema.Name, $"'{name}' may only contain letters, digits, '_' and '-'.");
        }

        var task = new ResearchTask
        {
            Name = name,
            FullName = f.RequiredString(TaskSchema.FullName),
            Suite = f.Optional(TaskSchema.Suite) is { } suite ? f.ParseEnum<BenchmarkSuite>(suite, TaskSchema.Suite) : BenchmarkSuite.Full,
            BaseTask = f.OptionalString(TaskSchema.BaseTask),
            TaskText = f.RequiredString(TaskSchema.Task),
            DatasetPolicy = f.RequiredString(TaskSchema.DatasetPolicy),
            Datasets = f.Items(TaskSchema.Datasets, required: false, (node, path) => ReadDataset(node, source, path)),
            ModelPolicy = f.RequiredString(TaskSchema.ModelPolicy),
            AllowedModels = f.StringList(TaskSchema.AllowedModels, required: false),
            Libraries = f.StringList(TaskSchema.Libraries, required: true),
            Compute = ReadCompute(f.Required(TaskSchema.Compute), source),
            TimeLimit = ReadTimeLimit(f),
            ExpectedResult = f.RequiredString(TaskSchema.ExpectedResult),
            Rules = f.StringList(TaskSchema.Rules, required: true),
            Evaluation = ReadEvaluation(f.Required(TaskSchema.Evaluation), source),
            AdditionalInfo = f.RequiredString(TaskSchema.AdditionalInfo),
            Formula = f.RequiredString(TaskSchema.Formula),
            StarterCode = ReadUri(f, TaskSchema.StarterCode),
            StarterKit = ReadStarterKit(f),
            DeviceMemoryLimitGb = f.OptionalInt(TaskSchema.DeviceMemoryLimitGb, minimum: 1),
            AllowedPrecisions = f.Items(TaskSchema.AllowedPrecisions, required: false, (node, path) => f.ParseEnum<WeightPrecision>(node, path)),
            MaxParameters = f.Optional(TaskSchema.MaxParameters) is null ? null : f.RequiredLong(TaskSchema.MaxParameters, minimum: 1),
            BaseModel = f.OptionalString(TaskSchema.BaseModel),
            Choices = f.Items(TaskSchema.Choices, required: false, (node, path) => ReadChoice(node, source, path)),
        };
        f.RejectUnknownFields();
        return task;
    }

    private static TimeSpan ReadTimeLimit(FieldReader f)
    {
        var node = f.Required(TaskSchema.TimeLimit);
        var text = f.Text(node, TaskSchema.TimeLimit);
        return DurationText.TryParse(text, out var value)
            ? value
            : throw f.Error(node, TaskSchema.TimeLimit, $"'{Clip(text)}' is not a duration of at most {DurationText.ToCompact(DurationText.MaxDuration)}; write e.g. 24h, 8h, 1h30m, 90m or 24:00:00.");
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static string? ReadStarterKit(FieldReader f)
    {
        var kit = f.OptionalString(TaskSchema.StarterKit);
        return kit is null || Workspaces.StarterKits.Names.Contains(kit)
            ? kit
            : throw f.Error(f.Required(TaskSchema.StarterKit), TaskSchema.StarterKit, $"unknown starter kit '{kit}'. Known kits: {string.Join(", ", Workspaces.StarterKits.Names)}.");
    }

    private static Uri? ReadUri(FieldReader f, string key)
    {
        if (f.Optional(key) is not { } node)
        {
            return null;
        }

        var text = f.Text(node, key);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw f.Error(node, key, $"'{text}' is not an absolute http(s) URL.");
    }

    private static DatasetRef ReadDataset(DocumentNode node, string source, string path)
    {
        var f = new FieldReader(node, source, path);
        var dataset = new DatasetRef
        {
            HuggingFaceId = f.RequiredString(TaskSchema.HuggingFaceId),
            Config = f.OptionalString(TaskSchema.Config),
            Splits = f.Items(TaskSchema.Splits, required: false, (item, itemPath) =>
            {
                var s = new FieldReader(item, source, itemPath);
                var split = new DatasetSplit
                {
                    Name = s.RequiredString(TaskSchema.Name),
                    Rows = s.RequiredLong(TaskSchema.Rows, minimum: 0),
                    Columns = s.StringList(TaskSchema.Columns, required: true),
                };
                s.RejectUnknownFields();
                return split;
            }),
        };
        f.RejectUnknownFields();
        return dataset;
    }

    private static ComputeBudget ReadCompute(DocumentNode node, string source)
    {
        var f = new FieldReader(node, source, TaskSchema.Compute);
        var compute = new ComputeBudget
        {
            GpuKind = f.RequiredString(TaskSchema.GpuKind),
            GpuCount = f.OptionalInt(TaskSchema.GpuCount, minimum: 0) ?? 1,
            GpuMemoryGb = f.RequiredInt(TaskSchema.GpuMemoryGb, minimum: 0),
            RamGb = f.RequiredInt(TaskSchema.RamGb, minimum: 1),
            DiskGb = f.RequiredInt(TaskSchema.DiskGb, minimum: 1),
        };
        f.RejectUnknownFields();
        return compute;
    }

    private static EvaluationSpec ReadEvaluation(DocumentNode node, string source)
    {
        var f = new FieldReader(node, source, TaskSchema.Evaluation);
        var evaluation = new EvaluationSpec
        {
            Benchmarks = f.Items(TaskSchema.Benchmarks, required: true, (item, path) =>
            {
                var b = new FieldReader(item, source, path);
                var benchmark = new BenchmarkSpec
                {
                    Name = b.RequiredString(TaskSchema.Name),
                    Shots = b.OptionalInt(TaskSchema.Shots, minimum: 0) ?? 0,
                    Metric = b.RequiredString(TaskSchema.Metric),
                    Subtasks = b.StringList(TaskSchema.Subtasks, required: false),
                };
                b.RejectUnknownFields();
                return benchmark;
            }),
            Aggregation = f.RequiredEnum<ScoreAggregation>(TaskSchema.Aggregation),
            AggregationFormula = f.RequiredString(TaskSchema.AggregationFormula),
            SelfEvaluationCommand = f.RequiredString(TaskSchema.SelfEvaluationCommand),
            Generation = f.Optional(TaskSchema.Generation) is { } generation ? ReadGeneration(generation, source) : null,
        };
        if (evaluation.Benchmarks.Count == 0)
        {
            throw f.Error(f.Required(TaskSchema.Benchmarks), f.FieldPath(TaskSchema.Benchmarks), "list at least one benchmark.");
        }

        f.RejectUnknownFields();
        return evaluation;
    }

    private static GenerationSpec ReadGeneration(DocumentNode node, string source)
    {
        var f = new FieldReader(node, source, PathTracker.Child(TaskSchema.Evaluation, TaskSchema.Generation));
        var generation = new GenerationSpec
        {
            DataFolder = f.RequiredString(TaskSchema.DataFolder),
            HeldOutRows = f.RequiredInt(TaskSchema.HeldOutRows, minimum: 1),
            Items = f.OptionalInt(TaskSchema.Items, minimum: 1) ?? 100,
            PromptTemplate = f.RequiredString(TaskSchema.PromptTemplate),
            ReferenceField = f.RequiredString(TaskSchema.ReferenceField),
            MaxNewTokens = f.OptionalInt(TaskSchema.MaxNewTokens, minimum: 1) ?? 256,
            StopSequences = f.StringList(TaskSchema.StopSequences, required: false),
        };
        f.RejectUnknownFields();
        return generation;
    }

    private static SpecificationChoice ReadChoice(DocumentNode node, string source, string path)
    {
        var f = new FieldReader(node, source, path);
        var choice = new SpecificationChoice
        {
            Field = f.RequiredString(TaskSchema.Field),
            Conflict = f.RequiredString(TaskSchema.Conflict),
            Choice = f.RequiredString(TaskSchema.Choice),
        };
        f.RejectUnknownFields();
        return choice;
    }
}
