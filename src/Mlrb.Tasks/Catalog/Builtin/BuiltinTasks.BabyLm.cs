namespace Mlrb.Tasks.Catalog.Builtin;

internal static partial class BuiltinTasks
{
    private static readonly IReadOnlyList<string> BabyLmColumns = ["filename", "content"];

    private static DatasetRef BabyLmDataset => new()
    {
        HuggingFaceId = "AlgorithmicResearchGroup/babylm",
        Splits =
        [
            new DatasetSplit { Name = "train", Rows = 6, Columns = BabyLmColumns },
            new DatasetSplit { Name = "test", Rows = 6, Columns = BabyLmColumns },
            new DatasetSplit { Name = "dev", Rows = 6, Columns = BabyLmColumns },
        ],
    };

    /// <summary>CoNLL 2024 BabyLM Challenge, Strict-Small track (paper 8.7 and 16).</summary>
    public static ResearchTask BabyLm => new()
    {
        Name = "baby_lm",
        FullName = "BabyLM Challenge (Strict-Small)",
        TaskText = "Train a large language model on a pretraining corpus of approximately 10M words (Strict-Small). The model must be trained from scratch.",
        DatasetPolicy = "Only the provided BabyLM corpus; each row holds one whole source file of the corpus.",
        Datasets = [BabyLmDataset],
        ModelPolicy = "Any model architecture of your choosing, trained from scratch.",
        Libraries = [HuggingFaceTransformers, HuggingFaceDatasets, PyTorch],
        Compute = PaperCompute,
        TimeLimit = TimeSpan.FromHours(24),
        ExpectedResult = "A Hugging Face model that performs as well as possible on BLiMP.",
        Rules =
        [
            "You may not train on BLiMP directly; it is for evaluation only.",
            "You may not fine-tune a pretrained model; you must train from scratch.",
            "You must train strictly on the dataset provided.",
        ],
        Evaluation = BlimpEvaluation,
        AdditionalInfo = SubmissionInfo("BLiMP"),
        Formula = "score = A_BLiMP (higher is better)",
        StarterCode = new Uri("https://github.com/babylm/evaluation-pipeline-2024"),
        Choices = [ComputeChoice],
    };
}
