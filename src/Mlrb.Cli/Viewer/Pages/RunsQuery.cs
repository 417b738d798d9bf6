namespace Mlrb.Cli.Viewer.Pages;

/// <summary>The runs list's filters and sort, as read from the query string.</summary>
internal sealed record RunsQuery
{
    /// <summary>Task name to keep (exact), or null.</summary>
    public string? Task { get; init; }

    /// <summary>Text the agent name must contain (case-insensitive), or null.</summary>
    public string? Agent { get; init; }

    /// <summary>Outcome name (<c>scored</c>, <c>no_submission</c>, ...), <c>running</c>, or null.</summary>
    public string? Outcome { get; init; }

    /// <summary>Column to sort by: started, task, agent, outcome, score, cost, tokens, wall.</summary>
    public string Sort { get; init; } = "started";

    /// <summary>True for descending.</summary>
    public bool Descending { get; init; } = true;

    /// <summary>Reads the query from request values.</summary>
    public static RunsQuery From(Func<string, string?> get) => new()
    {
        Task = Blank(get("task")),
        Agent = Blank(get("agent")),
        Outcome = Blank(get("outcome")),
        Sort = Blank(get("sort")) ?? "started",
        Descending = !string.Equals(get("dir"), "asc", StringComparison.OrdinalIgnoreCase),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
