namespace Mlrb.Eval.Evaluation;

/// <summary>A task rule a submission breaks.</summary>
/// <param name="Rule">The rule's name: <c>max_parameters</c>, <c>allowed_precisions</c>, <c>device_memory</c>, <c>base_model</c>, <c>model_folder</c> or <c>loadable_model</c>.</param>
/// <param name="Message">What was found and what the task allows, in words.</param>
public sealed record RuleViolation(string Rule, string Message)
{
    /// <summary>The violation as one line, e.g. <c>allowed_precisions: weights hold BF16 ...</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Rule}: {Message}";
}
