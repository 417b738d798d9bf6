using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools.Core;

/// <summary>
/// An <see cref="ITool"/> seen as an <see cref="AIFunction"/>. The invocation result is the capped model text
/// (<see cref="ToolResult.ToModelText"/>) as a string, except a successful <c>return_fn</c>, which returns its
/// <see cref="Mlrb.Tasks.Runs.Submission"/>. Agents that want the typed status ask for <see cref="IToolOutcomeSource"/>
/// through <see cref="AITool.GetService(Type, object?)"/>. A result that reports an infrastructure failure throws a
/// <see cref="SandboxFailureException"/> on both paths, so agents can tell a broken sandbox from the model's mistakes.
/// </summary>
internal sealed class ToolAIFunction(ITool tool) : AIFunction, IToolOutcomeSource
{
    /// <inheritdoc />
    public override string Name => tool.Name;

    /// <inheritdoc />
    public override string Description => tool.Description;

    /// <inheritdoc />
    public override JsonElement JsonSchema => tool.JsonSchema;

    /// <summary>The tool behind this function.</summary>
    public ITool Tool => tool;

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(tool) ? tool : base.GetService(serviceType, serviceKey);

    /// <inheritdoc />
    /// <exception cref="SandboxFailureException">The tool infrastructure failed (not the agent's input or code).</exception>
    public async Task<ToolOutcome> InvokeForOutcomeAsync(JsonElement arguments, CancellationToken cancellationToken = default)
    {
        var result = await tool.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false);
        return result.InfrastructureFailure
            ? throw new SandboxFailureException(result.Stderr.Length > 0 ? result.Stderr : $"{tool.Name}: the tool sandbox failed")
            : result.ToOutcome();
    }

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        JsonElement json;
        try
        {
            json = JsonSerializer.SerializeToElement(
                new Dictionary<string, object?>(arguments, StringComparer.Ordinal),
                AIJsonUtilities.DefaultOptions);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            return ToolResult.Failure(tool.Name, $"{tool.Name}: the arguments could not be read as JSON: {ex.Message}").ToModelText();
        }

        var outcome = await InvokeForOutcomeAsync(json, cancellationToken).ConfigureAwait(false);
        return outcome.Submission is { } submission ? submission : outcome.Text;
    }
}
