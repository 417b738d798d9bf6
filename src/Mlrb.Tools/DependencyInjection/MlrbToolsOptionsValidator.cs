using Microsoft.Extensions.Options;

namespace Mlrb.Tools.DependencyInjection;

/// <summary>Checks <see cref="MlrbToolsOptions"/>; every problem is named with the option and its value.</summary>
internal sealed class MlrbToolsOptionsValidator : IValidateOptions<MlrbToolsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MlrbToolsOptions options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem of <paramref name="o"/>.</summary>
    /// <param name="o">The options.</param>
    /// <returns>Readable problems; empty when valid.</returns>
    public static List<string> Problems(MlrbToolsOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var p = new List<string>();
        if (o.DefaultProcessTimeout <= TimeSpan.Zero)
        {
            p.Add($"MlrbToolsOptions.DefaultProcessTimeout must be positive (is {o.DefaultProcessTimeout}).");
        }

        if (o.MaxProcessTimeout < o.DefaultProcessTimeout)
        {
            p.Add($"MlrbToolsOptions.MaxProcessTimeout ({o.MaxProcessTimeout}) must be at least DefaultProcessTimeout ({o.DefaultProcessTimeout}).");
        }

        if (o.MaxOutputChars < 200)
        {
            p.Add($"MlrbToolsOptions.MaxOutputChars must be at least 200 (is {o.MaxOutputChars}).");
        }

        if (o.MaxLogBytes < 1024)
        {
            p.Add($"MlrbToolsOptions.MaxLogBytes must be at least 1024 (is {o.MaxLogBytes}).");
        }

        if (o.MaxModelTextChars < 400)
        {
            p.Add($"MlrbToolsOptions.MaxModelTextChars must be at least 400 (is {o.MaxModelTextChars}).");
        }

        if (string.IsNullOrWhiteSpace(o.PythonExecutable))
        {
            p.Add("MlrbToolsOptions.PythonExecutable must name an interpreter.");
        }

        if (string.IsNullOrWhiteSpace(o.BashExecutable))
        {
            p.Add("MlrbToolsOptions.BashExecutable must name a shell.");
        }

        if (string.IsNullOrWhiteSpace(o.LogFolder) || Path.IsPathRooted(o.LogFolder) || o.LogFolder.Split('/', '\\').Contains(".."))
        {
            p.Add($"MlrbToolsOptions.LogFolder must be a relative folder inside the workspace (is '{o.LogFolder}').");
        }

        CheckLimits(p, o.Limits);
        CheckBase(p, nameof(o.GitHubBaseAddress), o.GitHubBaseAddress);
        CheckBase(p, nameof(o.SemanticScholarBaseAddress), o.SemanticScholarBaseAddress);
        CheckBase(p, nameof(o.ArxivBaseAddress), o.ArxivBaseAddress);
        if (o.HttpTimeout <= TimeSpan.Zero)
        {
            p.Add($"MlrbToolsOptions.HttpTimeout must be positive (is {o.HttpTimeout}).");
        }

        if (o.HttpMaxRetries is < 0 or > 10)
        {
            p.Add($"MlrbToolsOptions.HttpMaxRetries must be between 0 and 10 (is {o.HttpMaxRetries}).");
        }

        if (o.HttpRetryBaseDelay < TimeSpan.Zero || o.HttpMaxRetryDelay < o.HttpRetryBaseDelay)
        {
            p.Add($"MlrbToolsOptions.HttpRetryBaseDelay ({o.HttpRetryBaseDelay}) must be non-negative and at most HttpMaxRetryDelay ({o.HttpMaxRetryDelay}).");
        }

        if (o.MaxResponseBytes < 1024 || o.MaxPdfBytes < 1024)
        {
            p.Add($"MlrbToolsOptions.MaxResponseBytes ({o.MaxResponseBytes}) and MaxPdfBytes ({o.MaxPdfBytes}) must be at least 1024.");
        }

        if (o.GitHubListDefaultDepth is < 1 or > 20 || o.GitHubListMaxFiles is < 1 or > 100_000)
        {
            p.Add($"MlrbToolsOptions.GitHubListDefaultDepth must be 1..20 (is {o.GitHubListDefaultDepth}) and GitHubListMaxFiles 1..100000 (is {o.GitHubListMaxFiles}).");
        }

        if (o.EvaluateDefaultLimit < 1 || o.EvaluateMaxLimit < o.EvaluateDefaultLimit)
        {
            p.Add($"MlrbToolsOptions.EvaluateDefaultLimit must be at least 1 (is {o.EvaluateDefaultLimit}) and at most EvaluateMaxLimit (is {o.EvaluateMaxLimit}).");
        }

        if (o.EvaluateTimeout <= TimeSpan.Zero)
        {
            p.Add($"MlrbToolsOptions.EvaluateTimeout must be positive (is {o.EvaluateTimeout}).");
        }

        foreach (var name in o.AllowedEnvironmentVariables)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains('=', StringComparison.Ordinal))
            {
                p.Add($"MlrbToolsOptions.AllowedEnvironmentVariables holds an invalid name '{name}'.");
            }
        }

        return p;
    }

    private static void CheckLimits(List<string> p, ProcessLimits? l)
    {
        if (l is null)
        {
            p.Add("MlrbToolsOptions.Limits must not be null.");
            return;
        }

        if (l.MaxProcesses is < 8)
        {
            p.Add($"MlrbToolsOptions.Limits.MaxProcesses must be at least 8 (is {l.MaxProcesses}).");
        }

        if (l.MemoryBytes is < 16L * 1024 * 1024)
        {
            p.Add($"MlrbToolsOptions.Limits.MemoryBytes must be at least 16 MiB (is {l.MemoryBytes}).");
        }

        if (l.MaxFileSizeBytes is < 4096)
        {
            p.Add($"MlrbToolsOptions.Limits.MaxFileSizeBytes must be at least 4096 (is {l.MaxFileSizeBytes}).");
        }

        if (l.MaxWorkspaceBytes is < 4096)
        {
            p.Add($"MlrbToolsOptions.Limits.MaxWorkspaceBytes must be at least 4096 (is {l.MaxWorkspaceBytes}).");
        }

        if (l.CpuSet is not null && !System.Text.RegularExpressions.Regex.IsMatch(l.CpuSet, @"^[0-9]{1,4}(-[0-9]{1,4})?(,[0-9]{1,4}(-[0-9]{1,4})?)*$"))
        {
            p.Add($"MlrbToolsOptions.Limits.CpuSet must be a CPU list such as 0-3,6 (is '{l.CpuSet}').");
        }

        if (!Processes.GpuSelection.IsValid(l.Gpus))
        {
            p.Add($"MlrbToolsOptions.Limits.Gpus must be all, none or GPU indices such as 0,2 (is '{l.Gpus}').");
        }
    }

    private static void CheckBase(List<string> p, string name, Uri? address)
    {
        if (address is null || !address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            p.Add($"MlrbToolsOptions.{name} must be an absolute http(s) address (is '{address}').");
        }
        else if (!address.AbsolutePath.EndsWith('/'))
        {
            p.Add($"MlrbToolsOptions.{name} must end with '/' so relative paths append to it (is '{address}').");
        }
    }
}
