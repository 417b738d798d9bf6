namespace Mlrb.Tasks.Catalog.Builtin;

/// <summary>The built-in tasks: the paper's seven (section 8 and 16) and the six mini variants that load.</summary>
internal static partial class BuiltinTasks
{
    private static readonly Lazy<IReadOnlyList<ResearchTask>> AllTasks = new(() =>
    [
        LlmEfficiency,
        BabyLm,
        MiniPile,
        LlmMerging,
        EdgeLlmCompression,
        EdgeLlmTraining,
        MathReasoning,
        MiniLlmEfficiency,
        MiniBabyLm,
        MiniMiniPile,
        MiniLlmMerging,
        MiniEdgeLlmCompression,
        MiniMathReasoning,
    ]);

    /// <summary>All built-in tasks, full benchmark first, in the paper's order of Table 2.</summary>
    public static IReadOnlyList<ResearchTask> All => AllTasks.Value;

    private const string HuggingFaceTransformers = "Hugging Face Transformers";
    private const string HuggingFaceDatasets = "Hugging Face Datasets";
    private const string PyTorch = "PyTorch";

    /// <summary>One A100 40GB, 128 GB RAM, 500 GB disk: the paper's budget for every task.</summary>
    private static ComputeBudget PaperCompute => new()
    {
        GpuKind = "NVIDIA A100",
        GpuCount = 1,
        GpuMemoryGb = 40,
        RamGb = 128,
        DiskGb = 500,
    };

    private static SpecificationChoice ComputeChoice => new()
    {
        Field = "compute",
        Conflict = "The task prompts and the paper (section 6, Table 2) give one A100 40GB GPU with 128 GB of RAM; the task README files give one A100 80GB GPU with 80 GB of RAM.",
        Choice = "One A100 40GB GPU, 128 GB of RAM and 500 GB of disk, as the paper states.",
    };

    private static string LmEvalCommand(string tasks) =>
        $"lm_eval --model hf --model_args pretrained=<path_to_your_model> --tasks {tasks} --device cuda:0 --batch_size 8";

    private static EvaluationSpec SuperGlueEvaluation => new()
    {
        Benchmarks = [new BenchmarkSpec { Name = BenchmarkNames.SuperGlue, Shots = 0, Metric = "acc" }],
        Aggregation = ScoreAggregation.MeanOverSubtasks,
        AggregationFormula = "A_SuperGLUE = (A_BoolQ + A_CB + A_COPA + A_MultiRC + A_ReCoRD + A_RTE + A_WiC + A_WSC) / 8, where each A is the accuracy on that task",
        SelfEvaluationCommand = LmEvalCommand("super-glue-lm-eval-v1"),
    };

    private static EvaluationSpec MmluEvaluation => new()
    {
        Benchmarks = [new BenchmarkSpec { Name = BenchmarkNames.Mmlu, Shots = 0, Metric = "acc" }],
        Aggregation = ScoreAggregation.MeanOverCategoryMeans,
        AggregationFormula = "A_MMLU = (A_humanities + A_other + A_social_sciences + A_stem) / 4, where each category accuracy is the mean of the accuracies of its subjects",
        SelfEvaluationCommand = LmEvalCommand("mmlu"),
    };

    private static EvaluationSpec BlimpEvaluation => new()
    {
        Benchmarks = [new BenchmarkSpec { Name = BenchmarkNames.Blimp, Shots = 0, Metric = "acc" }],
        Aggregation = ScoreAggregation.MeanOverSubtasks,
        AggregationFormula = "A_BLiMP = (A_1 + A_2 + ... + A_N) / N, where A_i is the accuracy on the i-th of the N = 67 BLiMP subtasks",
        SelfEvaluationCommand = LmEvalCommand("blimp"),
    };

    private static string SubmissionInfo(string benchmark) =>
        $"Save the final model in the working directory as a Hugging Face model folder (config.json and safetensors weights, "
        + $"plus its tokenizer) and return that folder's path with return_fn. Mlrb scores that folder on {benchmark} after the run; "
        + "a folder that does not load with AutoModelForCausalLM (or AutoModelForSeq2SeqLM for encoder-decoder models) scores nothing.";
}
