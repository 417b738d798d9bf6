namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>Added-token matching: leftmost-longest, lstrip/rstrip, single_word, normalized (on the byte-level fixture).</summary>
public class AddedTokenTests
{
    private static Mlrb.Eval.Tokenization.ITokenizer WithAdded(string tokens)
        => Fixtures.Load(Fixtures.With(Fixtures.ByteLevel, """
            {"id": 20, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true}
            """.Trim(), tokens));

    private static string Token(int id, string content, bool lstrip = false, bool rstrip = false, bool singleWord = false)
        => $$"""{"id": {{id}}, "content": "{{content}}", "single_word": {{(singleWord ? "true" : "false")}}, "lstrip": {{(lstrip ? "true" : "false")}}, "rstrip": {{(rstrip ? "true" : "false")}}, "normalized": false, "special": true}""";

    [Test]
    public void LeftmostLongest_PrefersTheLongerTokenAtTheSameStart()
    {
        var tokenizer = WithAdded(Token(30, "<x>") + "," + Token(31, "<x><y>"));
        Assert.That(tokenizer.Encode("a<x><y>b<x>"), Is.EqualTo(new[] { 15, 31, 16, 30 }));
    }

    [Test]
    public void WithoutStrip_NeighbouringSpacesAreTokenized()
        => Assert.That(WithAdded(Token(30, "<x>")).Encode("a <x> b"), Is.EqualTo(new[] { 15, 4, 30, 4, 16 }));

    [Test]
    public void LStripAndRStrip_AbsorbTheSpaces()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WithAdded(Token(30, "<x>", lstrip: true)).Encode("a  <x> b"), Is.EqualTo(new[] { 15, 30, 4, 16 }));
            Assert.That(WithAdded(Token(30, "<x>", rstrip: true)).Encode("a <x>  b"), Is.EqualTo(new[] { 15, 4, 30, 16 }));
        });
    }

    [Test]
    public void SingleWord_IsNotMatchedInsideAWord()
    {
        var tokenizer = WithAdded(Token(30, "ca", singleWord: true));
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.Encode("ca b"), Is.EqualTo(new[] { 30, 4, 16 }));
            Assert.That(tokenizer.Encode("cab"), Is.EqualTo(new[] { 17, 19 }), "inside a word: plain BPE");
        });
    }

    [Test]
    public void AnAddedTokenThatIsInTheModelVocabulary_TakesTheModelId()
    {
        // tokenizers ignores the file's id when the content is already a model token ("ab" is 19).
        Assert.That(WithAdded(Token(30, "ab")).Encode("ab"), Is.EqualTo(new[] { 19 }));
    }

    [Test]
    public void AddedTokens_SplitTheTextSoMergesNeverCrossThem()
        => Assert.That(WithAdded(Token(30, "<x>")).Encode("he<x>llo"), Is.EqualTo(new[] { 8, 30, 9, 3 }));
}
