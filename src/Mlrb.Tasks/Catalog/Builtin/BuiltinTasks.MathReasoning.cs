namespace Mlrb.Tasks.Catalog.Builtin;

internal static partial class BuiltinTasks
{
    /// <summary>ICML 2024 Challenges on Automated Math Reasoning, Track 1-1 autoformalization (paper 8.5 and 16).</summary>
    public static ResearchTask MathReasoning => new()
    {
        Name = "math_reasoning",
        FullName = "ICML 2024 Challenges on Automated Math Reasoning: Track 1-1 Autoformalization",
        TaskText = "Train a model that, given a problem statement and proof in natural language, generates the corresponding formal statement and proof in Lean 3.",
        DatasetPolicy = "The dataset below; other open-source datasets are also allowed.",
        Datasets =
        [
            new DatasetRef
            {
                HuggingFaceId = "AlgorithmicResearchGroup/math_reasoning_autoformalization_track",
                Splits = [new DatasetSplit { Name = "train", Rows = 3_963, Columns = ["name", "informal_statement", "informal_proof", "formal_proof"] }],
            },
        ],
        ModelPolicy = "Any open-source model.",
        Libraries = [HuggingFaceTransformers, HuggingFaceDatasets, PyTorch],
        Compute = PaperCompute,
        TimeLimit = TimeSpan.FromHours(24),
        ExpectedResult = "A model that generates the formal Lean 3 statement and proof corresponding to a natural-language problem and proof.",
        Rules =
        [
            "Hold out part of the provided data for evaluation and do not train on it.",
            "Use only open-source data and open-source models.",
        ],
        Evaluation = new EvaluationSpec
        {
            Benchmarks =
            [
                new BenchmarkSpec { Name = BenchmarkNames.Bleu, Metric = "bleu" },
                new BenchmarkSpec { Name = BenchmarkNames.RougeL, Metric = "rouge_l" },
                new BenchmarkSpec { Name = BenchmarkNames.LeanPassRate, Metric = "pass_rate" },
            ],
            Aggregation = ScoreAggregation.ReportEach,
            AggregationFormula = "BLEU and ROUGE-L between the generated and the reference formal proofs on held-out rows; pass rate = compiled proofs / 100 attempted",
            SelfEvaluationCommand = "Evaluate your model on a held-out portion of the provided data: generate formal proofs for it and compute BLEU and ROUGE-L against formal_proof (for example with the evaluate library's bleu and rouge metrics).",
        },
        AdditionalInfo = "Save the final model in the working directory as a Hugging Face model folder with its tokenizer, and return its path with return_fn together with the BLEU and ROUGE-L you measured. No Lean 3 checker is provided, so the pass rate is reported only where one is available.",
        Formula = "BLEU, ROUGE-L and Lean 3 pass rate, each reported separately (higher is better)",
        Choices =
        [
            ComputeChoice,
            new SpecificationChoice
            {
                Field = "evaluation",
                Conflict = "The paper (section 8.5.3) scores BLEU, ROUGE-L and the Lean 3 compile pass rate; the reference's prompt only says to evaluate on a portion of the data, and no Lean checker exists anywhere in it.",
                Choice = "BLEU and ROUGE-L on held-out rows, reported separately; the pass rate stays in the spec but needs an external Lean 3 checker.",
            },
            new SpecificationChoice
            {
                Field = "rules",
                Conflict = "The reference gives no rules for this task (\"None specified\").",
                Choice = "Two rules that keep its self-evaluation honest: hold out evaluation rows, and use open-source data and models only.",
            },
        ],
    };
}
