namespace Mlrb.Tasks.Catalog.Builtin;

internal static partial class BuiltinTasks
{
    private const string MiniBaseline = "AlgorithmicResearchGroup/gpt2-xs";

    private const string MiniBaselineFacts =
        "The baseline is AlgorithmicResearchGroup/gpt2-xs, a 30 million parameter GPT-2 model (30,044,544 parameters; "
        + "WikiText-2 perplexity 95.2161, 242.70 tokens per second, validation loss 3.94).";

    private static readonly TimeSpan MiniTimeLimit = TimeSpan.FromHours(8);

    private static SpecificationChoice MiniChoice => new()
    {
        Field = "name",
        Conflict = "The reference has nine mini templates and nine mini folders whose names do not match; only six load (mini_budget_inference, mini_smoke_test and check_gpu do not).",
        Choice = "The six mini variants that load, each an 8-hour version of its full task starting from the small GPT-2 baseline.",
    };

    private static ResearchTask Mini(ResearchTask full, string taskText, string modelPolicy, string expectedResult) => full with
    {
        Name = "mini_" + full.Name,
        FullName = "Mini " + full.FullName + " (8 hours, small GPT-2)",
        Suite = BenchmarkSuite.Mini,
        BaseTask = full.Name,
        TaskText = taskText,
        ModelPolicy = modelPolicy,
        AllowedModels = [MiniBaseline],
        BaseModel = full.BaseModel is null ? null : MiniBaseline,
        TimeLimit = MiniTimeLimit,
        ExpectedResult = expectedResult,
        Rules = [.. full.Rules.Select(r => r.Replace("24 hours", "8 hours", StringComparison.Ordinal))],
        AdditionalInfo = full.AdditionalInfo + " " + MiniBaselineFacts,
        Choices = [.. full.Choices, MiniChoice],
    };

    /// <summary>Mini LLM efficiency: fine-tune the small GPT-2 baseline in 8 hours.</summary>
    public static ResearchTask MiniLlmEfficiency => Mini(
        LlmEfficiency,
        "Fine-tune the small GPT-2 baseline with open-source data so that it performs as well as possible on MMLU. You have 8 hours.",
        "Start from the small GPT-2 baseline below.",
        "A fine-tuned Hugging Face model that performs as well as possible on MMLU.");

    /// <summary>Mini BabyLM: train a small GPT-2 from scratch on the BabyLM corpus in 8 hours.</summary>
    public static ResearchTask MiniBabyLm => Mini(
        BabyLm,
        "Train a small GPT-2 style language model from scratch on the BabyLM Strict-Small corpus (about 10M words) so that it performs as well as possible on BLiMP. You have 8 hours.",
        "A GPT-2 style model of about the baseline's size, trained from scratch (use the baseline's architecture, not its weights).",
        "A Hugging Face model trained from scratch that performs as well as possible on BLiMP.");

    /// <summary>Mini MiniPile: pre-train a small GPT-2 on MiniPile in 8 hours.</summary>
    public static ResearchTask MiniMiniPile => Mini(
        MiniPile,
        "Pre-train a small GPT-2 style language model on MiniPile so that it performs as well as possible on SuperGLUE. You have 8 hours.",
        "A GPT-2 style model of about the baseline's size, pre-trained on MiniPile (use the baseline's architecture, not its weights).",
        "A Hugging Face model that performs as well as possible on SuperGLUE.");

    /// <summary>Mini LLM merging: merge small GPT-2 experts with the starter kit.</summary>
    public static ResearchTask MiniLlmMerging => Mini(
        LlmMerging,
        """
            - Create a generalist model by merging expert models derived from the small GPT-2 baseline so that it performs as well as possible on MMLU.
            - Experts must share the baseline's architecture: fine-tune your own from it, or use public fine-tunes of it.
            - You must use the provided starter kit in {workdir}/llm_merging/; use {workdir}/llm_merging/merging/average.py as the example.
            - Place your code in the {workdir}/llm_merging/merging/ folder.
            """,
        "Experts with the small GPT-2 baseline's architecture (the baseline itself and fine-tunes of it).",
        "A merged Hugging Face model that performs as well as possible on MMLU.") with
    {
        Choices = [.. LlmMerging.Choices, MiniChoice, new SpecificationChoice
        {
            Field = "time_limit",
            Conflict = "The reference's mini_llm_merging template says 24 hours while the mini benchmark is the 8-hour benchmark.",
            Choice = "8 hours, like every other mini task.",
        }],
    };

    /// <summary>Mini edge compression: compress the small GPT-2 baseline.</summary>
    public static ResearchTask MiniEdgeLlmCompression => Mini(
        EdgeLlmCompression,
        """
            - Develop a compression method that makes the small GPT-2 baseline as small as possible while keeping its MMLU accuracy.
            - The model must run on a device with 12 GB of DRAM.
            - The model must be submitted in FP16 or FP32 format (no quantization allowed).
            """,
        "Compress the small GPT-2 baseline below.",
        "A compressed Hugging Face model that performs as well as possible on MMLU.");

    /// <summary>The MMLU subjects of the original MMLU "math" subcategory, which mini_math_reasoning is scored on.</summary>
    private static readonly string[] MmluMathSubjects =
        ["abstract_algebra", "college_mathematics", "elementary_mathematics", "high_school_mathematics", "high_school_statistics"];

    /// <summary>Mini math reasoning: improve the small GPT-2 baseline on the MMLU mathematics subjects and MathQA.</summary>
    public static ResearchTask MiniMathReasoning => Mini(
        MathReasoning,
        "Improve the small GPT-2 baseline's accuracy on the MMLU mathematics subjects (abstract algebra, college mathematics, elementary mathematics, high school mathematics, high school statistics) and MathQA. Its current accuracy is near chance on all of them. You have 8 hours.",
        "Start from the small GPT-2 baseline below.",
        "A Hugging Face model that performs as well as possible on the MMLU mathematics subjects and MathQA.") with
    {
        DatasetPolicy = "Any open-source data except the evaluation sets; the autoformalization dataset below is one option.",
        Rules =
        [
            "You may not train on the MMLU or MathQA test sets; they are for evaluation only.",
            "Use only open-source data.",
        ],
        Evaluation = new EvaluationSpec
        {
            Benchmarks =
            [
                new BenchmarkSpec { Name = BenchmarkNames.Mmlu, Metric = "acc", Subtasks = MmluMathSubjects },
                new BenchmarkSpec { Name = BenchmarkNames.MathQa, Metric = "acc" },
            ],
            Aggregation = ScoreAggregation.MeanOverSubtasks,
            AggregationFormula = "A = mean of the accuracies of mmlu_abstract_algebra, mmlu_college_mathematics, mmlu_elementary_mathematics, mmlu_high_school_mathematics, mmlu_high_school_statistics and mathqa (each subtask with data present counts once)",
            SelfEvaluationCommand = LmEvalCommand(string.Join(',', MmluMathSubjects.Select(s => "mmlu_" + s)) + ",mathqa"),
        },
        AdditionalInfo = SubmissionInfo("the MMLU mathematics subjects and MathQA") + " " + MiniBaselineFacts,
        Formula = "score = A (higher is better)",
        Choices =
        [
            ComputeChoice,
            MiniChoice,
            new SpecificationChoice
            {
                Field = "evaluation",
                Conflict = "The reference's mini template names MMLU high school and college mathematics and MathQA, and claims the baseline scores 0.0 on them (a 4-way multiple-choice log-likelihood task cannot score below chance on average).",
                Choice = "All five subjects of MMLU's original \"math\" subcategory plus MathQA, each scored as lm-evaluation-harness does; the prompt no longer claims a 0.0 baseline.",
            },
        ],
    };
}
