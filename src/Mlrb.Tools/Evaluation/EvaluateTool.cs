using System.Globalization;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Evaluation;

/// <summary>
/// <c>evaluate</c>: the agent's self-check. Scores a model folder inside the workspace with the run's own task scorer on
/// the validation split and a few documents per subtask, through the host's <see cref="ISelfEvaluator"/>. The folder is
/// confined to the workspace (no <c>..</c>, absolute paths elsewhere or symbolic links out, also for the files in it),
/// the scoring has a time limit within the run's remaining time, and the answer is capped.
/// </summary>
internal sealed class EvaluateTool : ToolBase
{
    /// <summary>Most entries of the model folder checked for links that lead out of the workspace.</summary>
    internal const int MaxEntriesChecked = 10_000;

    private readonly ToolRuntime _runtime;
    private readonly ISelfEvaluator _evaluator;

    /// <summary>Creates the tool.</summary>
    /// <param name="runtime">The run's tool runtime.</param>
    /// <param name="evaluator">Scores the folder.</param>
    public EvaluateTool(ToolRuntime runtime, ISelfEvaluator evaluator)
        : base(
            "evaluate",
            string.Create(
                CultureInfo.InvariantCulture,
                $"Score a saved model folder in the working directory with this task's own scorer, on the validation split and the first {runtime.Options.EvaluateDefaultLimit} documents of each subtask (change with limit). A quick self-check of your model before return_fn; the final score uses the full test data. Takes up to {runtime.Options.EvaluateTimeout.TotalMinutes:0} minutes."),
            new ToolSchema(
                new ToolParameter("model_path", ParameterKind.String, "The folder of the saved model (config.json, weights, tokenizer), relative to the working directory.", true) { NonEmpty = true },
                new ToolParameter("limit", ParameterKind.Integer, string.Create(CultureInfo.InvariantCulture, $"Documents to score per subtask (default {runtime.Options.EvaluateDefaultLimit}, at most {runtime.Options.EvaluateMaxLimit}); more is slower and more precise."), false)
                {
                    Minimum = 1,
                    Maximum = runtime.Options.EvaluateMaxLimit,
                }))
    {
        _runtime = runtime;
        _evaluator = evaluator;
    }

    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var context = _runtime.Context;
        if (string.IsNullOrWhiteSpace(context.TaskName))
        {
            return Fail($"{Name}: this run has no task to score by, so there is nothing to evaluate against.");
        }

        var modelPath = arguments.RequiredString("model_path");
        if (!_runtime.Guard.TryResolve(modelPath, out var full, out var error))
        {
            return Fail($"{Name}: model_path: {error}");
        }

        if (File.Exists(full))
        {
            return Fail($"{Name}: model_path '{modelPath}' is a file; give the folder the model was saved in (e.g. with save_pretrained).");
        }

        if (!Directory.Exists(full))
        {
            return Fail($"{Name}: there is no model folder '{modelPath}' in the working directory; save the model first (e.g. model.save_pretrained(\"{modelPath}\") and the tokenizer beside it), then call evaluate again.");
        }

        if (LinkOut(full) is { } escape)
        {
            return Fail($"{Name}: model_path: {escape}");
        }

        var timeout = _runtime.Options.EvaluateTimeout;
        if (context.Deadline is { } deadline)
        {
            var remaining = deadline - context.TimeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return new ToolResult { Tool = Name, Status = Mlrb.Tasks.ToolCalls.ToolStatus.TimedOut, Stderr = $"{Name}: the run's time is up; there is no time left to evaluate." };
            }

            timeout = remaining < timeout ? remaining : timeout;
        }

        var request = new SelfEvaluationRequest
        {
            Context = context,
            ModelDirectory = full,
            ModelPath = _runtime.Guard.Relative(full),
            Limit = (int)(arguments.Integer("limit") ?? _runtime.Options.EvaluateDefaultLimit),
            Timeout = timeout,
        };
        var result = await _evaluator.EvaluateAsync(request, cancellationToken).ConfigureAwait(false);
        var stdout = _runtime.Cap(result.Stdout);
        var stderr = _runtime.Cap(result.Stderr);
        return result with
        {
            Tool = Name,
            Stdout = stdout,
            Stderr = stderr,
            Submission = null,
            InfrastructureFailure = false, // a failed self-check is news for the agent, never the end of the run
            Truncated = result.Truncated || stdout.Length != result.Stdout.Length || stderr.Length != result.Stderr.Length,
        };
    }

    /// <summary>The first entry of the folder that is a link leading out of the workspace, described; null when none.</summary>
    private string? LinkOut(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var seen = 0;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
        {
            if (++seen > MaxEntriesChecked)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the model folder holds more than {MaxEntriesChecked} files and folders; a model folder needs only its config, weights and tokenizer.");
            }

            if (entry.LinkTarget is not null && !_runtime.Guard.TryResolve(entry.FullName, out _, out var error))
            {
                return $"the model folder holds a symbolic link that leads out of the working directory: {error}";
            }
        }

        return null;
    }
}
