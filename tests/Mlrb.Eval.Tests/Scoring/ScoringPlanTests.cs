using Mlrb.Eval.Scoring;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>harness-scoring.md §1.4–1.5: truncation window, one pass per shared context, longest first.</summary>
public class ScoringPlanTests
{
    [Test]
    public void OneTokenChoicesOfOneDocument_ShareOneInput()
    {
        int[] ctx = [5, 6, 7];
        var plan = ScoringPlan.Create([(ctx, [10]), (ctx, [11]), (ctx, [12]), (ctx, [13])], maxLength: 16, reusePrefixes: true);

        Assert.That(plan.Items, Has.Count.EqualTo(1));
        Assert.That(plan.PrefixGroups, Is.Empty);
        Assert.That(plan.Items[0].Input, Is.EqualTo(ctx));
        Assert.That(plan.Items[0].Members.Select(m => m.Index), Is.EqualTo(new[] { 0, 1, 2, 3 }));
    }

    [Test]
    public void ContinuationsDifferingOnlyInTheLastToken_ShareOneInput()
    {
        var plan = ScoringPlan.Create([([1], [4, 5, 6]), ([1], [4, 5, 9])], maxLength: 16, reusePrefixes: false);

        Assert.That(plan.Items, Has.Count.EqualTo(1));
        Assert.That(plan.Items[0].Input, Is.EqualTo(new[] { 1, 4, 5 }));
    }

    [Test]
    public void MultiTokenChoicesOfOneContext_FormAPrefixGroup()
    {
        int[] ctx = [5, 6, 7, 8];
        var plan = ScoringPlan.Create([(ctx, [1, 2]), (ctx, [3]), (ctx, [4, 4, 4])], maxLength: 16, reusePrefixes: true);

        Assert.That(plan.Items, Is.Empty);
        Assert.That(plan.PrefixGroups, Has.Count.EqualTo(1));
        Assert.That(plan.PrefixGroups[0].Prefix, Is.EqualTo(new[] { 5, 6, 7 }));
        Assert.That(plan.PrefixGroups[0].Items, Has.Count.EqualTo(3));
    }

    [Test]
    public void LongRequest_IsLeftTruncatedToMaxLengthPlusOneThenDropsTheLast()
    {
        var ctx = Enumerable.Range(0, 10).ToArray();
        var plan = ScoringPlan.Create([(ctx, [100, 101])], maxLength: 5, reusePrefixes: true);

        // (ctx + cont)[-(5+1):][:-1] = [6, 7, 8, 9, 100]
        Assert.That(plan.Items.Single().Input, Is.EqualTo(new[] { 6, 7, 8, 9, 100 }));
        Assert.That(plan.Items.Single().UntruncatedContext, Is.Null);
    }

    [Test]
    public void Items_AreOrderedLongestFirst()
    {
        var plan = ScoringPlan.Create([([1], [2]), ([1, 2, 3, 4], [5]), ([1, 2], [3])], maxLength: 16, reusePrefixes: false);

        Assert.That(plan.Items.Select(i => i.Input.Length), Is.EqualTo(new[] { 4, 2, 1 }));
    }
}
