namespace Mlrb.Eval.Metrics;

/// <summary>How to check generated Lean code: a configured <c>lean</c> executable run on one sample at a time.</summary>
public sealed record LeanOptions
{
    /// <summary>The executable (e.g. <c>lean</c>, or <c>lake</c> with <see cref="Arguments"/> <c>env lean</c>); null = no checker configured.</summary>
    public string? Executable { get; init; }

    /// <summary>Arguments put before the sample file's path.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Working directory (a Lean project root, so imports resolve); null uses a temporary folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Time allowed per sample; the process tree is killed when it runs over.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
