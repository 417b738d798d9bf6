using System.Globalization;
using System.Text;
using Mlrb.Agents.Budgets;

namespace Mlrb.Agents.Planning;

/// <summary>The prompts of the supervisor and the workers.</summary>
internal static class AgentPrompts
{
    /// <summary>The supervisor's system prompt.</summary>
    /// <param name="toolNames">The tools workers can use.</param>
    /// <param name="submissionTool">The submission tool's name.</param>
    /// <returns>The prompt.</returns>
    public static string Supervisor(IEnumerable<string> toolNames, string submissionTool) => $"""
        You supervise an AI research agent that works on a machine-learning research task inside a working directory.
        You do not act yourself: you plan, hand subtasks to workers, and review what they report.
        Workers can use these tools: {string.Join(", ", toolNames)}.
        Planning rules:
        - Break the task into concrete subtasks a worker can finish in one session: name models, datasets, libraries, files and tools.
        - Keep the time limit in mind: prefer a small working result early, then improve it.
        - The last subtask must save the final model in the working directory, evaluate it, and call {submissionTool} with the model path and metrics.
        - Mark subtasks that do not depend on each other with empty dependsOn so they can run in parallel.
        Reply with JSON only, in the schema you are given.
        """;

    /// <summary>The planning request.</summary>
    /// <param name="taskPrompt">The task.</param>
    /// <param name="progress">What was done so far (for re-plans), or null.</param>
    /// <param name="budget">The budget.</param>
    /// <returns>The prompt.</returns>
    public static string PlanRequest(string taskPrompt, string? progress, RunBudget budget)
    {
        var text = new StringBuilder();
        text.AppendLine("Task:").AppendLine(taskPrompt).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Time used: {RunBudget.Format(budget.Elapsed)}; time left: {RunBudget.Format(budget.Remaining)}.");
        if (progress is not null)
        {
            text.AppendLine().AppendLine("Progress so far (the plan must change; keep what worked):").AppendLine(progress);
            text.AppendLine().AppendLine("Write a new plan for the rest of the task.");
        }
        else
        {
            text.AppendLine("Write the plan.");
        }

        return text.ToString();
    }

    /// <summary>The review request.</summary>
    /// <param name="step">The subtask.</param>
    /// <param name="outcome">What the worker reported, and how it ended.</param>
    /// <returns>The prompt.</returns>
    public static string ReviewRequest(PlanStep step, string outcome) => $"""
        Review the result of subtask {step.Id} ({step.Title}).
        Instruction was: {step.Instruction}
        Worker result: {outcome}
        Decide: accept (move on), retry (run it again with your notes), or replan (the remaining plan must change).
        Reply with JSON only, in the schema you are given.
        """;

    /// <summary>A worker's system prompt.</summary>
    /// <param name="workspace">The working directory.</param>
    /// <param name="submissionTool">The submission tool's name.</param>
    /// <param name="finishTool">The subtask-report tool's name.</param>
    /// <returns>The prompt.</returns>
    public static string Worker(string workspace, string submissionTool, string finishTool) => $"""
        You are an experienced machine-learning researcher working on one subtask of a research task.
        Your working directory is {workspace}. Every file you write and every command you run stays inside it.
        Work with the tools: write code, run it, read the output, fix errors, and record important findings in the scratchpad.
        PyTorch, torchvision, torchaudio, pandas and numpy are installed.
        Tool results are capped; print concise logs. Commands are stopped when the time budget runs out.
        When your subtask is done (or cannot be done), call {finishTool} with a summary of what you did and found.
        When the whole task is done and the model is saved in the working directory, call {submissionTool} with its path and measured metrics.
        """;

    /// <summary>A worker's task message: task, plan, subtask, earlier results and review notes.</summary>
    /// <param name="taskPrompt">The task.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="step">The subtask.</param>
    /// <param name="earlier">Results of earlier subtasks.</param>
    /// <param name="notes">Review notes for a retry.</param>
    /// <param name="budget">The budget.</param>
    /// <returns>The message.</returns>
    public static string WorkerTask(string taskPrompt, ResearchPlan plan, PlanStep step, string earlier, string? notes, RunBudget budget)
    {
        var text = new StringBuilder();
        text.AppendLine("Task:").AppendLine(taskPrompt).AppendLine();
        text.AppendLine("Plan:");
        foreach (var s in plan.Steps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{s.Id}. {s.Title}{(s.Id == step.Id ? "   <- your subtask" : "")}");
        }

        if (earlier.Length > 0)
        {
            text.AppendLine().AppendLine("Results of earlier subtasks:").AppendLine(earlier);
        }

        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Your subtask ({step.Id}. {step.Title}):").AppendLine(step.Instruction);
        if (!string.IsNullOrWhiteSpace(notes))
        {
            text.AppendLine().AppendLine("Supervisor notes from the previous attempt:").AppendLine(notes);
        }

        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Time used: {RunBudget.Format(budget.Elapsed)}; time left: {RunBudget.Format(budget.Remaining)}.");
        return text.ToString();
    }

    /// <summary>The final-submission request at the end of the budget.</summary>
    /// <param name="taskPrompt">The task.</param>
    /// <param name="reason">Why work stopped.</param>
    /// <param name="earlier">Results so far.</param>
    /// <param name="submissionTool">The submission tool.</param>
    /// <returns>The message.</returns>
    public static string FinalSubmission(string taskPrompt, string reason, string earlier, string submissionTool) => $"""
        Task:
        {taskPrompt}

        Work has stopped: {reason}.
        Results so far:
        {(earlier.Length > 0 ? earlier : "(no subtask reported a result)")}

        Call {submissionTool} now with the best model that exists in the working directory and the metrics measured for it.
        """;
}
