using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mlrb.Tools.Core;

/// <summary>
/// The shared shape of every Mlrb tool: validates the arguments against the schema, runs the tool,
/// and turns any exception into a failed <see cref="ToolResult"/> so nothing escapes into the agent loop.
/// </summary>
internal abstract class ToolBase : ITool
{
    private readonly ToolSchema _schema;

    /// <summary>Creates the tool.</summary>
    /// <param name="name">The snake_case name.</param>
    /// <param name="description">What it does, for the model.</param>
    /// <param name="schema">Its arguments.</param>
    protected ToolBase(string name, string description, ToolSchema schema)
    {
        Name = name;
        Description = description;
        _schema = schema;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public JsonElement JsonSchema => _schema.Json;

    /// <summary>The cap on the text a result sends the model (<see cref="MlrbToolsOptions.MaxModelTextChars"/>); set by the factory.</summary>
    internal int ModelTextChars { get; set; } = ToolResult.DefaultModelTextChars;

    /// <inheritdoc />
    public async Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken = default)
    {
        using var activity = ToolTelemetry.Start(Name);
        var started = Stopwatch.GetTimestamp();
        var result = await ValidateAndInvokeAsync(arguments, cancellationToken).ConfigureAwait(false) with { ModelTextChars = ModelTextChars };
        ToolTelemetry.Finish(activity, result, Stopwatch.GetElapsedTime(started));
        return result;
    }

    /// <inheritdoc />
    public AIFunction AsAIFunction() => new ToolAIFunction(this);

    private async Task<ToolResult> ValidateAndInvokeAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var problem = _schema.Validate(Name, arguments);
        if (problem is not null)
        {
            return Fail(problem);
        }

        try
        {
            return await InvokeCoreAsync(new ToolArguments(arguments), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail($"{Name}: cancelled.");
        }
        catch (Exception ex)
        {
            return Fail($"{Name}: {ex.Message}");
        }
    }

    /// <summary>Runs the tool on validated arguments.</summary>
    /// <param name="arguments">Arguments that passed the schema.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The result.</returns>
    protected abstract Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken);

    /// <summary>A failure of this tool.</summary>
    /// <param name="message">A readable message.</param>
    /// <returns>The result.</returns>
    protected ToolResult Fail(string message) => ToolResult.Failure(Name, message);

    /// <summary>A success of this tool.</summary>
    /// <param name="stdout">The answer.</param>
    /// <returns>The result.</returns>
    protected ToolResult Ok(string stdout) => ToolResult.Ok(Name, stdout);
}
