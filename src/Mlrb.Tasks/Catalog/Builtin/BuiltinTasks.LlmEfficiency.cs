namespace Mlrb.Tasks.Catalog.Builtin;

internal static partial class BuiltinTasks
{
    /// <summary>NeurIPS 2023 1LLM + 1GPU + 1Day: LLM Efficiency Challenge (paper 8.6 and 16).</summary>
    public static ResearchTask LlmEfficiency => new()
    {
        Name = "llm_efficiency",
        FullName = "1LLM + 1GPU + 1Day: LLM Efficiency Challenge",
        TaskText = """
            - Train a model that performs as well as possible on a wide array of metrics.
            - Start with an approved base model.
            - Using only open-source data, fine-tune the model on one A100 40GB GPU.
            - A training run must complete within 24 hours.
            """,
        DatasetPolicy = "Any open-source dataset; the competition suggests the ones below (Dolma and the Flan Collection are also allowed).",
        Datasets =
        [
            new DatasetRef { HuggingFaceId = "databricks/databricks-dolly-15k" },
            new DatasetRef { HuggingFaceId = "OpenAssistant/oasst1" },
            new DatasetRef { HuggingFaceId = "allenai/dolma" },
            new DatasetRef { HuggingFaceId = "togethercomputer/RedPajama-Data-1T" },
            new DatasetRef { HuggingFaceId = "GAIR/lima" },
        ],
        ModelPolicy = "Start from one of the approved open base models below (base models, not instruction-tuned ones).",
        AllowedModels =
        [
            "ALBERT", "BART", "BERT", "Bloom", "Cerebras (btlm, GPT)", "Colossal-LLaMA-2-7b-base", "DeBERTa", "DeciLM-6B",
            "DistilBERT", "Electra", "Falcon", "GPT2", "GPT Neo, J, NeoX, Pythia", "InternLM", "LLaMA or Llama 2", "Mistral",
            "MPT", "OpenLLaMA", "OPT", "Persimmon", "Qwen", "Red Pajama Base", "RoBERTa", "T5", "UL2",
        ],
        Libraries = [HuggingFaceTransformers, HuggingFaceDatasets, PyTorch],
        Compute = PaperCompute,
        TimeLimit = TimeSpan.FromHours(24),
        ExpectedResult = "A Hugging Face model that performs as well as possible on a subset of the MMLU benchmark.",
        Rules =
        [
            "You may not train on the MMLU benchmark directly; it is for evaluation only.",
            "You will not be given access to the evaluation data.",
            "You may not use any data that is not open-source.",
            "Training must be done on a single GPU.",
            "Training must finish within 24 hours.",
        ],
        Evaluation = MmluEvaluation,
        AdditionalInfo = SubmissionInfo("MMLU"),
        Formula = "score = A_MMLU (higher is better)",
        StarterCode = new Uri("https://github.com/llm-efficiency-challenge/neurips_llm_efficiency_challenge"),
        Choices = [ComputeChoice],
    };
}
