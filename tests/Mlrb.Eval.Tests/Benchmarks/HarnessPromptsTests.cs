using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Data;

namespace Mlrb.Eval.Tests.Benchmarks;

/// <summary>Expected strings are the rendered examples of harness-scoring.md §2 (derived there with jinja2 in Python).</summary>
public class HarnessPromptsTests
{
    [Test]
    public void Copa_DropsThePeriod_AndChoicesGetTwoSpacesAfterTheDelimiter()
    {
        var row = new CopaRow("The man turned on the faucet.", "The toilet filled with water.", "Water flowed from the spout.", "effect", 1, 1);
        var p = HarnessPrompts.Copa(row);
        var doc = FewShotContext.ToDocument(0, 1, FewShotContext.Build(string.Empty, [], p), p);
        Assert.Multiple(() =>
        {
            Assert.That(doc.Context, Is.EqualTo("The man turned on the faucet therefore"));
            Assert.That(doc.Continuations, Is.EqualTo(new[] { "  the toilet filled with water.", "  water flowed from the spout." }));
            Assert.That(doc.Gold, Is.EqualTo(1));
        });
    }

    [Test]
    public void Copa_CauseUsesBecause()
        => Assert.That(HarnessPrompts.Copa(new CopaRow("My body cast a shadow over the grass. ", "The sun was rising.", "X.", "cause", 0, 1)).Text,
            Is.EqualTo("My body cast a shadow over the grass because"));

    [Test]
    public void BoolQ_AddsAQuestionMark()
    {
        var p = HarnessPrompts.BoolQ(new BoolQRow("is it true", "Some passage.", 1, 1));
        Assert.That(p.Text, Is.EqualTo("Some passage.\nQuestion: is it true?\nAnswer:"));
        Assert.That(p.Choices, Is.EqualTo(new[] { "no", "yes" }));
        Assert.That(p.Gold, Is.EqualTo(1));
    }

    [Test]
    public void Cb_UsesTheOxfordComma()
    {
        var p = HarnessPrompts.Cb(new CbRow(
            "Valence the void-brain, Valence the virtuous valet. Why couldn't the figger choose his own portion of titanic anatomy to shaft? Did he think he was helping?",
            "Valence was helping", 1, 1));
        Assert.That(p.Text, Is.EqualTo("Valence the void-brain, Valence the virtuous valet. Why couldn't the figger choose his own portion of titanic anatomy to shaft? Did he think he was helping?\nQuestion: Valence was helping. True, False, or Neither?\nAnswer:"));
        Assert.That(p.Choices, Is.EqualTo(new[] { "True", "False", "Neither" }));
    }

    [Test]
    public void Rte_TrueOrFalse()
        => Assert.That(HarnessPrompts.Rte(new RteRow("P.", "H.", 1, 1)).Text, Is.EqualTo("P.\nQuestion: H. True or False?\nAnswer:"));

    [Test]
    public void Wic_SlicesTheWordFromSentence1()
    {
        var p = HarnessPrompts.Wic(new WicRow("class", "An emerging professional class.", "Apologizing for losing your temper, even though you were badly provoked, showed real class.", 25, 30, 85, 90, 0, 1));
        Assert.That(p.Text, Is.EqualTo("Sentence 1: An emerging professional class.\nSentence 2: Apologizing for losing your temper, even though you were badly provoked, showed real class.\nQuestion: Is the word 'class' used in the same way in the two sentences above?\nAnswer:"));
    }

    [Test]
    public void Wsc_MarksThePronoun_AndDetokenizes()
    {
        var row = new WscRow(
            "Bernard , who had not told the government official that he was less than 21 when he filed for a homestead claim, did not consider that he had done anything dishonest. Still, anyone who knew that he was 19 years old could take his claim away from him .",
            0, "anyone", 47, "him", 0, 1);
        var p = HarnessPrompts.Wsc(row);
        Assert.That(p.Text, Is.EqualTo("Passage: Bernard, who had not told the government official that he was less than 21 when he filed for a homestead claim, did not consider that he had done anything dishonest. Still, anyone who knew that he was 19 years old could take his claim away from *him*.\nQuestion: In the passage above, does the pronoun \"*him*\" refer to \"*anyone*\"?\nAnswer:"));
    }

    [TestCase("do n't ( a ) \" b \" c , d . e 's", "don't (a)\"b\"c, d. e's")]
    public void GeneralDetokenize_AppliesTheReplacementsInOrder(string input, string expected)
        => Assert.That(HarnessPrompts.GeneralDetokenize(input), Is.EqualTo(expected));

    [Test]
    public void WscFix_MatchesTheCaseOfTheWordAtTheSpanIndex_AndStripsThePeriod()
    {
        var fixedRow = WscSpanFixer.Fix(new WscRow("Then the dog barked at them.", 1, "The dog.", 4, "them", 1, 1));
        Assert.That(fixedRow.Span1Text, Is.EqualTo("the dog"));
        Assert.That(fixedRow.Span2Text, Is.EqualTo("them"));
    }

    [Test]
    public void MultiRc_ChoicesAndTheHarnessInversion()
    {
        var row = new MultiRcRow("Para ending in force. ", "Would the mass of a baseball affect how much force you have to use to pick it up?", "No", 0, 0, 0, 0, 1);
        var harness = HarnessPrompts.MultiRc(row, fixInversion: false);
        Assert.That(harness.Text, Is.EqualTo("Para ending in force. \nQuestion: Would the mass of a baseball affect how much force you have to use to pick it up?\nAnswer:"));
        Assert.That(harness.Choices, Is.EqualTo(new[] { "No\nIs the answer correct? yes", "No\nIs the answer correct? no" }));
        Assert.That(harness.Gold, Is.EqualTo(0), "label 0 -> index 0 ('yes') in the harness");
        Assert.That(HarnessPrompts.MultiRc(row, fixInversion: true).Gold, Is.EqualTo(1), "fixed: an incorrect answer's gold is 'no'");
        Assert.That(HarnessPrompts.MultiRc(row with { Label = 1 }, fixInversion: false).Gold, Is.EqualTo(1));
    }

    [Test]
    public void Record_FormatsHighlights_SortsEntities_AndEndsInANewline()
    {
        var row = new RecordRow(
            "  Goals from Costa and Zouma.\n@highlight\nChelsea won\n@highlight\nZouma scored  ",
            "@placeholder scored the winner",
            ["Zouma", "Chelsea", "Costa", "Zouma"],
            ["Zouma"],
            1);
        var p = HarnessPrompts.Record(row, out var entities, out var answers);
        var doc = FewShotContext.ToDocument(0, 1, FewShotContext.Build(string.Empty, [], p), p);
        Assert.Multiple(() =>
        {
            Assert.That(doc.Context, Is.EqualTo("Goals from Costa and Zouma.\n\n  - Chelsea won.\n  - Zouma scored.\n"));
            Assert.That(entities, Is.EqualTo(new[] { "Chelsea", "Costa", "Zouma" }));
            Assert.That(answers, Is.EqualTo(new[] { "Zouma" }));
            Assert.That(doc.Continuations[2], Is.EqualTo("   - Zouma scored the winner"));
            Assert.That(p.TargetText, Is.EqualTo("  - Zouma scored the winner"));
        });
    }

    [Test]
    public void Mmlu_HeaderAndTwoShotBlock_MatchTheSpecExample()
    {
        var shots = new[]
        {
            new MmluQuestion("Find all c in Z_3 such that Z_3[x]/(x^2 + c) is a field.", ["0", "1", "2", "3"], 1, 1),
            new MmluQuestion("Statement 1 | If aH is an element of a factor group, then |aH| divides |a|. Statement 2 | If H and K are subgroups of G then HK is a subgroup of G.", ["True, True", "False, False", "True, False", "False, True"], 1, 2),
        }.Select(HarnessPrompts.Mmlu);
        var test = HarnessPrompts.Mmlu(new MmluQuestion(" Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.\n", ["0", "4", "2", "6"], 1, 1));
        var doc = FewShotContext.ToDocument(0, 1, FewShotContext.Build(HarnessPrompts.MmluDescription("abstract_algebra"), shots, test), test);
        Assert.That(doc.Context, Is.EqualTo("The following are multiple choice questions (with answers) about abstract algebra.\n\nFind all c in Z_3 such that Z_3[x]/(x^2 + c) is a field.\nA. 0\nB. 1\nC. 2\nD. 3\nAnswer: B\n\nStatement 1 | If aH is an element of a factor group, then |aH| divides |a|. Statement 2 | If H and K are subgroups of G then HK is a subgroup of G.\nA. True, True\nB. False, False\nC. True, False\nD. False, True\nAnswer: B\n\nFind the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.\nA. 0\nB. 4\nC. 2\nD. 6\nAnswer:"));
        Assert.That(doc.Continuations, Is.EqualTo(new[] { " A", " B", " C", " D" }));
    }

    [Test]
    public void Blimp_EmptyContext_LeadingSpaceContinuations()
    {
        var p = HarnessPrompts.Blimp(new BlimpPair("Good one.", "Bad one.", 1));
        var doc = FewShotContext.ToDocument(0, 1, FewShotContext.Build(string.Empty, [], p), p);
        Assert.That(doc.Context, Is.EqualTo(string.Empty));
        Assert.That(doc.Continuations, Is.EqualTo(new[] { " Good one.", " Bad one." }));
        Assert.That(doc.Gold, Is.Zero);
    }
}
