namespace Mlrb.Tools;

/// <summary>Settings of the Mlrb tools. Validated when <c>AddMlrbTools</c> registers them.</summary>
public sealed class MlrbToolsOptions
{
    /// <summary>Timeout of a <c>run_python</c> / <c>run_bash</c> call that names none (default 10 minutes).</summary>
    public TimeSpan DefaultProcessTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest timeout a call may ask for (default 2 hours). The run's remaining budget caps it further.</summary>
    public TimeSpan MaxProcessTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How many characters of stdout and of stderr a process tool returns to the model (head and tail kept; default 16,000).</summary>
    public int MaxOutputChars { get; set; } = 16_000;

    /// <summary>Upper bound of the whole text a tool returns to the model (default 40,000 characters).</summary>
    public int MaxModelTextChars { get; set; } = ToolResult.DefaultModelTextChars;

    /// <summary>How child processes are confined (default <see cref="SandboxMode.Auto"/>).</summary>
    public SandboxMode Sandbox { get; set; } = SandboxMode.Auto;

    /// <summary>Whether child processes may use the network (default true; needs bubblewrap to be enforced).</summary>
    public bool AllowNetwork { get; set; } = true;

    /// <summary>Kernel-enforced resource limits for <c>run_python</c> / <c>run_bash</c> processes (processes, memory, CPUs, file size, workspace size, GPUs).</summary>
    public ProcessLimits Limits { get; set; } = new();

    /// <summary>The Python interpreter <c>run_python</c> starts (default <c>python3</c>, looked up on PATH).</summary>
    public string PythonExecutable { get; set; } = "python3";

    /// <summary>The shell <c>run_bash</c> starts (default <c>bash</c>).</summary>
    public string BashExecutable { get; set; } = "bash";

    /// <summary>
    /// Extra environment variable names passed from this process to children, on top of the built-in allow-list
    /// (PATH, LANG, LC_*, TZ, CUDA/NVIDIA device selection, thread counts, Python environment roots).
    /// Never put secrets here: whatever is passed, the model can print.
    /// </summary>
    public IList<string> AllowedEnvironmentVariables { get; } = [];

    /// <summary>Folder, relative to the workspace, where process tools stream their full output (default <c>.mlrb/logs</c>).</summary>
    public string LogFolder { get; set; } = ".mlrb/logs";

    /// <summary>
    /// Most bytes of a call's output kept in its log file (default 16 MiB): the first and the last half, with a marker
    /// saying how much was cut from the middle, so a flood of output cannot fill the disk.
    /// </summary>
    public long MaxLogBytes { get; set; } = 16L << 20;

    /// <summary>Base address of the GitHub REST API.</summary>
    public Uri GitHubBaseAddress { get; set; } = new("https://api.github.com/");

    /// <summary>Optional GitHub token (raises the rate limit). Never passed to child processes.</summary>
    public string? GitHubToken { get; set; }

    /// <summary>Base address of the Semantic Scholar Graph API (ends in <c>graph/v1/</c>).</summary>
    public Uri SemanticScholarBaseAddress { get; set; } = new("https://api.semanticscholar.org/graph/v1/");

    /// <summary>Optional Semantic Scholar API key (sent as <c>x-api-key</c>). Never passed to child processes.</summary>
    public string? SemanticScholarApiKey { get; set; }

    /// <summary>Base address that serves arXiv PDFs as <c>pdf/{id}</c>.</summary>
    public Uri ArxivBaseAddress { get; set; } = new("https://arxiv.org/");

    /// <summary>Timeout of one HTTP attempt (default 30 seconds).</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a 5xx, a 429, a timeout or a connection failure (default 3).</summary>
    public int HttpMaxRetries { get; set; } = 3;

    /// <summary>First retry delay; doubled on each retry (default 1 second). A <c>Retry-After</c> header takes precedence.</summary>
    public TimeSpan HttpRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait a <c>Retry-After</c> header may impose (default 60 seconds); longer waits fail the call.</summary>
    public TimeSpan HttpMaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest JSON/text response body accepted (default 8 MiB).</summary>
    public long MaxResponseBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>Largest PDF <c>download_paper</c> accepts (default 64 MiB).</summary>
    public long MaxPdfBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Deepest folder level <c>github_list_files</c> descends to when the call names none (default 3).</summary>
    public int GitHubListDefaultDepth { get; set; } = 3;

    /// <summary>Most entries <c>github_list_files</c> lists (default 500).</summary>
    public int GitHubListMaxFiles { get; set; } = 500;

    /// <summary>Documents per subtask the <c>evaluate</c> tool scores when the call names no <c>limit</c> (default 20).</summary>
    public int EvaluateDefaultLimit { get; set; } = 20;

    /// <summary>The largest <c>limit</c> an <c>evaluate</c> call may ask for (default 500 documents per subtask).</summary>
    public int EvaluateMaxLimit { get; set; } = 500;

    /// <summary>Time limit of one <c>evaluate</c> call (default 30 minutes); never beyond the run's remaining time.</summary>
    public TimeSpan EvaluateTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
