namespace Mlrb.Tasks.Catalog.Builtin;

internal static partial class BuiltinTasks
{
    private static readonly Uri EdgeStarterKit = new("https://github.com/TianjinYellow/EdgeDeviceLLMCompetition-Starting-Kit");

    /// <summary>NeurIPS 2024 Edge LLMs Challenge, compression track (paper 8.3 and 16).</summary>
    public static ResearchTask EdgeLlmCompression => new()
    {
        Name = "edge_llm_compression",
        FullName = "Edge LLMs Challenge: Compression",
        TaskText = """
            - Develop a compression method for a pretrained LLM so that it runs on a memory-constrained device.
            - The model must run on a device with 12 GB of DRAM.
            - The model must be submitted in FP16 or FP32 format (no quantization allowed).
            """,
        DatasetPolicy = "None: you may not perform training, only compression.",
        ModelPolicy = "Compress the model below.",
        AllowedModels = ["microsoft/phi-2"],
        Libraries = [HuggingFaceTransformers, PyTorch],
        Compute = PaperCompute,
        TimeLimit = TimeSpan.FromHours(24),
        ExpectedResult = "A compressed Hugging Face model that performs as well as possible on the MMLU benchmark.",
        Rules =
        [
            "You must perform compression only; no training is allowed.",
            "You may not quantize the model.",
            "You may not distill the model.",
        ],
        Evaluation = MmluEvaluation,
        AdditionalInfo = SubmissionInfo("MMLU") + " Its weights must be FP16 or FP32 and it must run within 12 GB of device memory.",
        Formula = "score = A_MMLU (higher is better), for a model that fits in 12 GB",
        StarterCode = EdgeStarterKit,
        DeviceMemoryLimitGb = 12,
        BaseModel = "microsoft/phi-2",
        AllowedPrecisions = [WeightPrecision.Fp16, WeightPrecision.Fp32],
        Choices = [ComputeChoice],
    };

    /// <summary>NeurIPS 2024 Edge LLMs Challenge, training-from-scratch track (paper 8.4 and 16).</summary>
    public static ResearchTask EdgeLlmTraining => new()
    {
        Name = "edge_llm_training",
        FullName = "Edge LLMs Challenge: Training from Scratch",
        TaskText = """
            - Train a language model from scratch without using pretrained LLMs.
            - The model must run on a device with 1 GB of DRAM.
            - The model must be submitted in FP16 or FP32 format (no quantization allowed).
            """,
        DatasetPolicy = "Only the C4 and Alpaca datasets below may be used for training and fine-tuning.",
        Datasets =
        [
            new DatasetRef
            {
                HuggingFaceId = "AlgorithmicResearchGroup/edge_llm_training",
                Config = "c4_combined_dataset",
                Splits = [new DatasetSplit { Name = "train", Rows = 989_000, Columns = ["text"] }],
            },
            new DatasetRef
            {
                HuggingFaceId = "AlgorithmicResearchGroup/edge_llm_training",
                Config = "alpaca_cleaned",
                Splits = [new DatasetSplit { Name = "train", Rows = 51_760, Columns = ["output", "input", "instruction"] }],
            },
        ],
        ModelPolicy = "Any model architecture of your choosing, trained from scratch.",
        Libraries = [HuggingFaceTransformers, HuggingFaceDatasets, PyTorch],
        Compute = PaperCompute,
        TimeLimit = TimeSpan.FromHours(24),
        ExpectedResult = "A Hugging Face model that performs as well as possible on the SuperGLUE benchmark.",
        Rules =
        [
            "Only the C4 and Alpaca datasets may be used for training and fine-tuning.",
            "You may not use pretrained LLMs.",
            "You may not quantize the model.",
            "The model must run on a device with 1 GB of DRAM.",
            "The model must be submitted in FP16 or FP32 format.",
        ],
        Evaluation = SuperGlueEvaluation,
        AdditionalInfo = SubmissionInfo("SuperGLUE") + " Its weights must be FP16 or FP32 and it must run within 1 GB of device memory.",
        Formula = "score = A_SuperGLUE (higher is better), for a model that fits in 1 GB",
        StarterCode = EdgeStarterKit,
        DeviceMemoryLimitGb = 1,
        AllowedPrecisions = [WeightPrecision.Fp16, WeightPrecision.Fp32],
        Choices =
        [
            ComputeChoice,
            new SpecificationChoice
            {
                Field = "device_memory_limit_gb",
                Conflict = "The reference's prompt and the paper (section 8.4.1) say the model must run with 1 GB of DRAM; the task README says 12 GB.",
                Choice = "1 GB, as the paper states.",
            },
        ],
    };
}
