namespace Mlrb.Tasks.Catalog.Builtin;

internal static partial class BuiltinTasks
{
    /// <summary>The name of the embedded Python kit the llm_merging tasks write into the workspace.</summary>
    public const string LlmMergingKit = "llm_merging";

    private static IReadOnlyList<DatasetRef> LlmMergingDatasets =>
    [
        new DatasetRef
        {
            HuggingFaceId = "AlgorithmicResearchGroup/llm_merging",
            Config = "xsum",
            Splits = [new DatasetSplit { Name = "train", Rows = 200, Columns = ["input", "target"] }],
        },
        new DatasetRef
        {
            HuggingFaceId = "AlgorithmicResearchGroup/llm_merging",
            Config = "cosmosqa",
            Splits = [new DatasetSplit { Name = "train", Rows = 500, Columns = ["input", "target", "answer_choices", "label"] }],
        },
    ];

    private static IReadOnlyList<string> LlmMergingRules =>
    [
        "You may not train on MMLU directly; it is for evaluation only.",
        "Merging (and any fine-tuning) plus evaluation must take less than 1 hour.",
        "You may not use any data that is not open-source.",
        "You must merge with the provided starter kit in {workdir}/llm_merging/. A submission that does not use it is disqualified.",
        "Put your merging code in {workdir}/llm_merging/merging/ and do not change the kit's other files.",
        "Read {workdir}/llm_merging/README.md before you start.",
    ];

    private static SpecificationChoice LlmMergingBenchmarkChoice => new()
    {
        Field = "expected_result",
        Conflict = "The reference's task text and evaluation command say MMLU, but its result field says CosmosQA and XSUM.",
        Choice = "Scored on MMLU, as the paper says (sections 8.2.1 and 8.2.3); CosmosQA and XSUM are validation data for tuning the merge.",
    };

    private static SpecificationChoice LlmMergingKitChoice => new()
    {
        Field = "starter_kit",
        Conflict = "The reference ships the competition's LlamaAvg/FlanT5Avg code flat in the work dir while its prompt and imports expect llm_merging/, and that code needs data files and an HF_AUTH_TOKEN that are never provided.",
        Choice = "Mlrb writes its own small kit into llm_merging/: a Merges base class, an averaging example and an entry script that merges Hugging Face safetensors folders.",
    };

    /// <summary>NeurIPS 2024 LLM Merging Competition (paper 8.2 and 16).</summary>
    public static ResearchTask LlmMerging => new()
    {
        Name = "llm_merging",
        FullName = "LLM-Merging Competition",
        TaskText = """
            - Create a generalist model by merging expert models so that it performs as well as possible on the MMLU benchmark.
            - Use publicly available models of at most 8 billion parameters.
            - You must use the provided starter kit to merge the models. Any submission that does not use it will be disqualified.
            - The starter kit is in your working directory at {workdir}/llm_merging/.
            - Use {workdir}/llm_merging/merging/average.py as the example: write your method as a subclass of Merges.
            - Place your code in the {workdir}/llm_merging/merging/ folder.
            """,
        DatasetPolicy = "The validation datasets below (for tuning the merge), and other open-source data.",
        Datasets = LlmMergingDatasets,
        ModelPolicy = "Any publicly available weights on Hugging Face, uploaded before May 31st 2024, with at most 8 billion parameters. Fine-tuned models and adapters are allowed; recommended families are below.",
        AllowedModels =
        [
            "Llama 2 family (7B versions)", "Llama 3 family (8B versions)", "Mistral family (7B versions)",
            "FLAN-T5 family", "Gemma family (7B versions)",
        ],
        Libraries = [HuggingFaceTransformers, "safetensors", PyTorch],
        Compute = PaperCompute,
        TimeLimit = TimeSpan.FromHours(24),
        ExpectedResult = "A merged Hugging Face model that performs as well as possible on MMLU.",
        Rules = LlmMergingRules,
        Evaluation = MmluEvaluation,
        AdditionalInfo = SubmissionInfo("MMLU") + " The kit's entry script saves the merged model in exactly this layout.",
        Formula = "score = A_MMLU (higher is better)",
        StarterCode = new Uri("https://github.com/llm-merging/LLM-Merging"),
        StarterKit = LlmMergingKit,
        MaxParameters = 8_000_000_000,
        Choices = [ComputeChoice, LlmMergingBenchmarkChoice, LlmMergingKitChoice],
    };
}
