namespace Mlrb.Tasks.Catalog.Builtin;

internal static partial class BuiltinTasks
{
    private static readonly IReadOnlyList<string> TextColumn = ["text"];

    private static DatasetRef MiniPileDataset => new()
    {
        HuggingFaceId = "AlgorithmicResearchGroup/minipile",
        Splits =
        [
            new DatasetSplit { Name = "train", Rows = 1_000_000, Columns = TextColumn },
            new DatasetSplit { Name = "validation", Rows = 500, Columns = TextColumn },
            new DatasetSplit { Name = "test", Rows = 10_000, Columns = TextColumn },
        ],
    };

    /// <summary>The MiniPile Challenge for data-efficient language models (paper 8.1 and 16).</summary>
    public static ResearchTask MiniPile => new()
    {
        Name = "mini_pile",
        FullName = "MiniPile Challenge",
        TaskText = "Use the MiniPile dataset to pre-train the best possible language model. The model will be tested on SuperGLUE. You have 24 hours to complete the task.",
        DatasetPolicy = "Pre-train on the provided MiniPile dataset.",
        Datasets = [MiniPileDataset],
        ModelPolicy = "Any model architecture of your choosing.",
        Libraries = [HuggingFaceTransformers, HuggingFaceDatasets, PyTorch],
        Compute = PaperCompute,
        TimeLimit = TimeSpan.FromHours(24),
        ExpectedResult = "A Hugging Face model that performs as well as possible on SuperGLUE.",
        Rules =
        [
            "You may not train on SuperGLUE directly; it is for evaluation only.",
            "Pre-train on MiniPile; do not start from a pretrained language model.",
            "Training must finish within 24 hours on the single GPU provided.",
        ],
        Evaluation = SuperGlueEvaluation,
        AdditionalInfo = SubmissionInfo("SuperGLUE"),
        Formula = "score = A_SuperGLUE (higher is better)",
        Choices =
        [
            ComputeChoice,
            new SpecificationChoice
            {
                Field = "rules",
                Conflict = "The reference's mini_pile template has no rules field, so its prompt rendered an empty rules section.",
                Choice = "Rules written from the paper's goal (section 8.1): pre-train on MiniPile, keep SuperGLUE for evaluation, 24 hours on one GPU.",
            },
        ],
    };
}
