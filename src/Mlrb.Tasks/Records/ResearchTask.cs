namespace Mlrb.Tasks;

/// <summary>
/// One ML research task as the agent receives it: what to build, with which data, models and hardware, in how much
/// time, under which rules, and how the result is scored.
/// </summary>
/// <remarks>
/// Text fields may contain <c>{workdir}</c>, which the prompt renderer replaces with the run's working directory.
/// Where the reference contradicts itself, the choice Mlrb made is listed in <see cref="Choices"/>.
/// </remarks>
public sealed record ResearchTask
{
    /// <summary>Short identifier, e.g. <c>baby_lm</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The competition's full name, e.g. <c>BabyLM Challenge (Strict-Small)</c>.</summary>
    public required string FullName { get; init; }

    /// <summary>Which benchmark the task belongs to.</summary>
    public BenchmarkSuite Suite { get; init; } = BenchmarkSuite.Full;

    /// <summary>For a mini variant, the name of the full task it shrinks; otherwise <see langword="null"/>.</summary>
    public string? BaseTask { get; init; }

    /// <summary>What the agent must do, in its own words (one or more sentences or bullet lines).</summary>
    public required string TaskText { get; init; }

    /// <summary>What data the agent may use, e.g. "Only the dataset below" or "Any open-source dataset".</summary>
    public required string DatasetPolicy { get; init; }

    /// <summary>The datasets the task provides or suggests.</summary>
    public IReadOnlyList<DatasetRef> Datasets { get; init; } = [];

    /// <summary>Which models the agent may start from, e.g. "Any model of your choosing".</summary>
    public required string ModelPolicy { get; init; }

    /// <summary>Named models the agent may use; empty when <see cref="ModelPolicy"/> leaves the choice open.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    /// <summary>Libraries the task names, e.g. Hugging Face Transformers.</summary>
    public required IReadOnlyList<string> Libraries { get; init; }

    /// <summary>The hardware the task may use.</summary>
    public required ComputeBudget Compute { get; init; }

    /// <summary>Wall-clock time the agent has.</summary>
    public required TimeSpan TimeLimit { get; init; }

    /// <summary>What the run must produce, e.g. "A Hugging Face model that performs as well as possible on BLiMP".</summary>
    /// <remarks>
    /// For <c>llm_merging</c> the reference's result field says CosmosQA and XSUM while its task text and evaluation say
    /// MMLU; Mlrb follows the paper (sections 8.2.1 and 8.2.3) and scores MMLU.
    /// </remarks>
    public required string ExpectedResult { get; init; }

    /// <summary>The task's rules, one per entry.</summary>
    public required IReadOnlyList<string> Rules { get; init; }

    /// <summary>How the result is measured.</summary>
    public required EvaluationSpec Evaluation { get; init; }

    /// <summary>Anything else the agent should know about how its output is judged.</summary>
    public required string AdditionalInfo { get; init; }

    /// <summary>The task's score as a plain-text formula (higher is better unless it says otherwise).</summary>
    public required string Formula { get; init; }

    /// <summary>The original competition's starter code, when it has one.</summary>
    public Uri? StarterCode { get; init; }

    /// <summary>Starter files Mlrb writes into the workspace (e.g. <c>llm_merging</c>), or <see langword="null"/>.</summary>
    public string? StarterKit { get; init; }

    /// <summary>Memory of the device the submitted model must run on, in GB, when the task sets one.</summary>
    /// <remarks>
    /// For <c>edge_llm_training</c> the reference's prompt and the paper (section 8.4.1) say 1 GB while its README says
    /// 12 GB; Mlrb uses 1 GB. <c>edge_llm_compression</c> is 12 GB everywhere.
    /// </remarks>
    public int? DeviceMemoryLimitGb { get; init; }

    /// <summary>Weight formats a submission may use; empty means unrestricted.</summary>
    public IReadOnlyList<WeightPrecision> AllowedPrecisions { get; init; } = [];

    /// <summary>The most parameters a submitted model may have (e.g. 8 billion for <c>llm_merging</c>); null means no limit.</summary>
    public long? MaxParameters { get; init; }

    /// <summary>
    /// The Hugging Face id of the model every submission must be derived from (e.g. <c>microsoft/phi-2</c> for
    /// <c>edge_llm_compression</c>); null when the task leaves the starting model open. Mlrb.Eval checks it with a
    /// shape and parameter-count heuristic for the base models it knows.
    /// </summary>
    public string? BaseModel { get; init; }

    /// <summary>Contradictions in the reference and what Mlrb chose for this task.</summary>
    public IReadOnlyList<SpecificationChoice> Choices { get; init; } = [];
}
