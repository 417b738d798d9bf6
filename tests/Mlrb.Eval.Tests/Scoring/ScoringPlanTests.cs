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
        Assert.That(plan.Root.Children, Is.Empty);
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
        Assert.That(plan.Root.Children, Has.Count.EqualTo(1));
        Assert.That(plan.Root.Children[0].Depth, Is.EqualTo(3));
        Assert.That(plan.Root.Children[0].Source[..3], Is.EqualTo(new[] { 5, 6, 7 }));
        Assert.That(plan.Root.Children[0].Items, Has.Count.EqualTo(3));
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

    [Test]
    public void KShotBlock_IsOneNode_AndEachMultiTokenQuestionANodeUnderIt()
    {
        int[] block = [1, 2, 3, 4, 5, 6, 7, 8];
        int[] q1 = [.. block, 20, 21, 22];
        int[] q2 = [.. block, 30, 31];
        int[] q3 = [.. block, 40, 41, 42, 43];
        var plan = ScoringPlan.Create(
            [(q1, [90, 91]), (q1, [92, 93]), (q2, [90, 91]), (q2, [94]), (q3, [95]), (q3, [96])], maxLength: 32, reusePrefixes: true);

        var blockNode = plan.Root.Children.Single();
        Assert.That(blockNode.Depth, Is.EqualTo(block.Length));
        Assert.That(blockNode.Items, Has.Count.EqualTo(1), "q3's one-token choices are one input, scored straight from the block");
        Assert.That(blockNode.Children.Select(c => c.Depth).Order(), Is.EqualTo(new[] { q2.Length - 1, q1.Length - 1 }));
        Assert.That(blockNode.Children.Sum(c => c.Items.Count), Is.EqualTo(4));
        Assert.That(plan.Root.Items, Is.Empty);
    }

    [Test]
    public void SingleLevelPlan_SharesOnlyIdenticalContexts()
    {
        int[] block = [1, 2, 3, 4, 5, 6, 7, 8];
        int[] q1 = [.. block, 20, 21, 22];
        int[] q3 = [.. block, 40, 41, 42, 43];
        var plan = ScoringPlan.Create([(q1, [90, 91]), (q1, [92, 93]), (q3, [95]), (q3, [96])], maxLength: 32, reusePrefixes: true, nested: false);

        Assert.That(plan.Root.Children.Single().Depth, Is.EqualTo(q1.Length - 1));
        Assert.That(plan.Root.Children.Single().Children, Is.Empty);
        Assert.That(plan.Root.Items.Single().Input, Is.EqualTo(q3));
    }

    [Test]
    public void TruncatedAndWholeSequenceInputs_AreNeverShared()
    {
        int[] block = [1, 2, 3, 4, 5, 6, 7, 8];
        int[] longQuestion = [.. block, .. Enumerable.Range(50, 10)];
        var plan = ScoringPlan.Create(
            [(longQuestion, [90, 91]), (longQuestion, [92, 93]), ([.. block, 9], [94, 95]), ([.. block, 9], [96, 97])], maxLength: 12, reusePrefixes: true);
        var longRope = ScoringPlan.Create(
            [(longQuestion, [90, 91]), (longQuestion, [92, 93]), ([.. block, 9], [94, 95]), ([.. block, 9], [96, 97])], maxLength: 64, reusePrefixes: true, wholeSequenceAbove: 12);

        Assert.That(plan.Root.Items.Select(i => i.Input.Length), Is.EqualTo(new[] { 12, 12 }));
        Assert.That(plan.Root.Children.Single().Depth, Is.EqualTo(block.Length));
        Assert.That(longRope.Root.Items.Select(i => i.Input.Length), Is.EqualTo(new[] { 19, 19 }));
        Assert.That(longRope.Root.Children.Single().Items, Has.Count.EqualTo(2));
    }

    [Test]
    public void ShortSharedOpening_UnderALongBlock_IsNotWorthANode()
    {
        var block = Enumerable.Range(1, 200).ToArray();
        var plan = ScoringPlan.Create(
            [([.. block, 7, 20, 1], [90, 91]), ([.. block, 7, 30, 1], [90, 91]), ([.. block, 8, 1], [90, 91])], maxLength: 256, reusePrefixes: true);

        // All three share the block; two share token 7 as well, but sharing it would save one token of compute but copy the 200-token block's cache: not worth a node.
        Assert.That(plan.Root.Children.Single().Depth, Is.EqualTo(200));
        Assert.That(plan.Root.Children.Single().Children, Is.Empty);
    }
}
