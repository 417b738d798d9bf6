using Microsoft.Extensions.AI;
using Mlrb.Agents.ToolLoop;

namespace Mlrb.Agents.Tests.ToolLoop;

public class HistoryCompactorTests
{
    private static List<ChatMessage> History(int actions)
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "system prompt"), new(ChatRole.User, "the task and the plan") };
        for (var i = 1; i <= actions; i++)
        {
            history.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"c{i}", "run_python", new Dictionary<string, object?> { ["filepath"] = $"step{i}.py" })]));
            history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"c{i}", $"result {i} " + new string('.', 4000))]));
        }

        return history;
    }

    [Test]
    public void UnderBudget_NothingChanges()
    {
        var history = History(3);

        Assert.That(HistoryCompactor.Compact(history, 2, 2, 1_000_000), Is.False);
        Assert.That(history, Has.Count.EqualTo(8));
    }

    [Test]
    public void OverBudget_KeepsPinnedAndLastActions_AndSummarisesTheRest()
    {
        var history = History(10);

        var changed = HistoryCompactor.Compact(history, pinned: 2, keepRecentActions: 3, tokenBudget: 4_000);

        Assert.That(changed, Is.True);
        Assert.That(history[0].Text, Is.EqualTo("system prompt"));
        Assert.That(history[1].Text, Is.EqualTo("the task and the plan"));
        var summary = history[2].Text;
        Assert.That(summary, Does.Contain("run_python(filepath=step1.py) -> result 1").And.Contain("step7.py"));
        Assert.That(summary, Does.Not.Contain("step8.py"));
        var kept = history.Skip(3).SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.CallId);
        Assert.That(kept, Is.EqualTo(new[] { "c8", "c9", "c10" }));
        Assert.That(history.Skip(3).First().Role, Is.EqualTo(ChatRole.Assistant), "a tool result never loses its call");
        Assert.That(HistoryCompactor.EstimateTokens(history), Is.LessThanOrEqualTo(4_000));
    }

    [Test]
    public void TightBudget_KeepsFewerActions_AndFoldsTheOldSummaryIn()
    {
        var history = History(10);
        HistoryCompactor.Compact(history, 2, 5, 7_000);
        history.AddRange(History(2).Skip(2).Select(m => m.Clone()));

        HistoryCompactor.Compact(history, 2, 5, 2_500);

        Assert.That(history.Count(m => m.Text.StartsWith("Summary of earlier actions", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(history[2].Text, Does.Contain("step1.py").And.Contain("step6.py"));
        Assert.That(history.Last().Role, Is.EqualTo(ChatRole.Tool));
    }
}
