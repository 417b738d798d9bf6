using System.Globalization;
using System.Text;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools;

/// <summary>The typed outcome of one tool call.</summary>
public sealed record ToolResult
{
    /// <summary>The default limit, in characters, of <see cref="ToModelText(int?)"/>.</summary>
    public const int DefaultModelTextChars = 40_000;

    /// <summary>The tool that ran.</summary>
    public required string Tool { get; init; }

    /// <summary>Success, failure or time-out.</summary>
    public required ToolStatus Status { get; init; }

    /// <summary>Standard output (or the tool's main answer), capped for the model.</summary>
    public string Stdout { get; init; } = "";

    /// <summary>Standard error (or the failure message), capped for the model.</summary>
    public string Stderr { get; init; } = "";

    /// <summary>Exit code of the child process, for process tools.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Whether stdout or stderr was cut to fit the cap.</summary>
    public bool Truncated { get; init; }

    /// <summary>The typed submission, set only by <c>return_fn</c>.</summary>
    public Submission? Submission { get; init; }

    /// <summary>Workspace-relative path of the full output log, for process tools.</summary>
    public string? LogPath { get; init; }

    /// <summary>
    /// Whether the tool infrastructure failed (the sandbox could not start or confine the process), as opposed to the
    /// agent's input or code. Seen as an <c>AIFunction</c>, such a result throws a <see cref="SandboxFailureException"/>.
    /// </summary>
    public bool InfrastructureFailure { get; init; }

    /// <summary>
    /// The limit of <see cref="ToModelText(int?)"/> when none is given: the tools' <c>MlrbToolsOptions.MaxModelTextChars</c>
    /// for a result a tool returned, <see cref="DefaultModelTextChars"/> for one made by hand.
    /// </summary>
    internal int ModelTextChars { get; init; } = DefaultModelTextChars;

    /// <summary>Whether the call succeeded.</summary>
    public bool IsSuccess => Status == ToolStatus.Success;

    /// <summary>A failed result carrying <paramref name="message"/> as its error text.</summary>
    /// <param name="tool">The tool's name.</param>
    /// <param name="message">A readable message for the model.</param>
    /// <returns>The result.</returns>
    public static ToolResult Failure(string tool, string message) =>
        new() { Tool = tool, Status = ToolStatus.Failure, Stderr = message };

    /// <summary>A successful result with <paramref name="stdout"/> as its answer.</summary>
    /// <param name="tool">The tool's name.</param>
    /// <param name="stdout">The answer for the model.</param>
    /// <returns>The result.</returns>
    public static ToolResult Ok(string tool, string stdout) =>
        new() { Tool = tool, Status = ToolStatus.Success, Stdout = stdout };

    /// <summary>This result as the typed outcome an agent reads: the status, <see cref="ToModelText"/> and the submission.</summary>
    /// <param name="maxChars">Upper bound on the length of the text; null takes the tools' <c>MlrbToolsOptions.MaxModelTextChars</c>.</param>
    /// <returns>The outcome.</returns>
    public ToolOutcome ToOutcome(int? maxChars = null) => new()
    {
        Tool = Tool,
        Status = Status,
        Text = ToModelText(maxChars),
        Submission = IsSuccess ? Submission : null,
    };

    /// <summary>
    /// The text sent back to a model: a status line, then stdout and stderr, never longer than
    /// <paramref name="maxChars"/> (head and tail are kept, with a marker saying how much was cut).
    /// </summary>
    /// <param name="maxChars">Upper bound on the length of the text; null takes the tools' <c>MlrbToolsOptions.MaxModelTextChars</c>
    /// (<see cref="DefaultModelTextChars"/> for a result made by hand).</param>
    /// <returns>The text.</returns>
    public string ToModelText(int? maxChars = null)
    {
        var text = new StringBuilder();
        text.Append(Tool).Append(": ").Append(Status switch
        {
            ToolStatus.Success => "success",
            ToolStatus.TimedOut => "timed out",
            _ => "failure",
        });
        if (ExitCode is { } code)
        {
            text.Append(" (exit code ").Append(code.ToString(CultureInfo.InvariantCulture)).Append(')');
        }

        text.Append('\n');
        if (Stdout.Length > 0)
        {
            text.Append(Stderr.Length > 0 || ExitCode is not null ? "stdout:\n" : "").Append(Stdout);
            if (!Stdout.EndsWith('\n'))
            {
                text.Append('\n');
            }
        }

        if (Stderr.Length > 0)
        {
            text.Append(Stdout.Length > 0 || ExitCode is not null ? "stderr:\n" : "").Append(Stderr);
            if (!Stderr.EndsWith('\n'))
            {
                text.Append('\n');
            }
        }

        if (LogPath is not null && Truncated)
        {
            text.Append("(full output in ").Append(LogPath).Append(")\n");
        }

        return ToolOutputCap.Cap(text.ToString(), maxChars ?? ModelTextChars);
    }
}
