using Mlrb.Eval.Scoring;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>harness-scoring.md §1.3: joint encoding split by the context's length, the whitespace move, the empty-context prefix.</summary>
public class RequestEncoderTests
{
    [Test]
    public void JointEncoding_IsSplitAtContextLength_NotReEncoded()
    {
        // "ab" -> [1, 2]; "abcd" merges across the boundary -> [1, 7 "bc", 8 "d"]; "cd" alone would be [3, 4].
        var tok = new DictionaryTokenizer(new Dictionary<string, int[]> { ["ab"] = [1, 2], ["abcd"] = [1, 7, 8], ["cd"] = [3, 4] }, null, null);

        var (ctx, cont) = RequestEncoder.Encode(tok, 0, new LogLikelihoodRequest("ab", "cd"), 0);

        Assert.That(ctx, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(cont, Is.EqualTo(new[] { 8 }));
    }

    [Test]
    public void TrailingContextWhitespace_MovesToContinuation()
    {
        var tok = new DictionaryTokenizer(new Dictionary<string, int[]> { ["Answer:"] = [10], ["Answer: \n\u001c yes"] = [10, 11, 12, 13] }, null, null);

        var (ctx, cont) = RequestEncoder.Encode(tok, 0, new LogLikelihoodRequest("Answer: \n\u001c", " yes"), 0);

        Assert.That(tok.Calls.Select(c => c.Text), Is.EquivalentTo(new[] { "Answer: \n\u001c yes", "Answer:" }));
        Assert.That(ctx, Is.EqualTo(new[] { 10 }));
        Assert.That(cont, Is.EqualTo(new[] { 11, 12, 13 }));
    }

    [Test]
    public void EmptyContext_UsesPrefixToken_AndNoSpecialTokens()
    {
        var tok = new DictionaryTokenizer(new Dictionary<string, int[]> { [" the cat"] = [5, 6] }, 99, "<s>");

        var (ctx, cont) = RequestEncoder.Encode(tok, 99, new LogLikelihoodRequest(string.Empty, " the cat"), 0);

        Assert.That(ctx, Is.EqualTo(new[] { 99 }));
        Assert.That(cont, Is.EqualTo(new[] { 5, 6 }));
        Assert.That(tok.Calls.Single().Special, Is.False);
    }

    [Test]
    public void EmptyContext_ContinuationStartingWithPrefix_TakesItAsContext()
    {
        var tok = new DictionaryTokenizer(new Dictionary<string, int[]> { ["<|endoftext|>hi"] = [50, 5, 6] }, null, null);

        var (ctx, cont) = RequestEncoder.Encode(tok, 50, new LogLikelihoodRequest(string.Empty, "<|endoftext|>hi"), 0);

        Assert.That(ctx, Is.EqualTo(new[] { 50 }));
        Assert.That(cont, Is.EqualTo(new[] { 5, 6 }));
    }

    [Test]
    public void TextStartingWithBosText_IsEncodedWithoutSpecialTokens()
    {
        var tok = new DictionaryTokenizer(new Dictionary<string, int[]> { ["<s>a"] = [1, 4], ["<s>a b"] = [1, 4, 5] }, 1, "<s>");

        var (ctx, cont) = RequestEncoder.Encode(tok, 1, new LogLikelihoodRequest("<s>a", " b"), 0);

        Assert.That(tok.Calls.All(c => !c.Special), Is.True);
        Assert.That(ctx, Is.EqualTo(new[] { 1, 4 }));
        Assert.That(cont, Is.EqualTo(new[] { 5 }));
    }

    [Test]
    public void LlamaStyleTokenizer_PrependsBosToContextAndWhole()
    {
        var tok = new DictionaryTokenizer(new Dictionary<string, int[]> { ["a"] = [4], ["a b"] = [4, 5] }, 1, "<s>");

        var (ctx, cont) = RequestEncoder.Encode(tok, 1, new LogLikelihoodRequest("a", " b"), 0);

        Assert.That(ctx, Is.EqualTo(new[] { 1, 4 }));
        Assert.That(cont, Is.EqualTo(new[] { 5 }));
    }

    [TestCase("")]
    [TestCase(null)]
    public void EmptyContinuation_IsAClearError(string? continuation)
    {
        var tok = new DictionaryTokenizer(new Dictionary<string, int[]>(), null, null);

        var ex = Assert.Throws<ArgumentException>(() => RequestEncoder.Encode(tok, 0, new LogLikelihoodRequest("ctx", continuation!), 3));

        Assert.That(ex!.Message, Does.Contain("request 3").And.Contain("continuation is empty"));
    }

    [TestCase('\u001c', true)]
    [TestCase('\u001f', true)]
    [TestCase('\u00a0', true)]
    [TestCase('\u2028', true)]
    [TestCase('x', false)]
    [TestCase('\u200b', false)]
    public void PythonWhitespace(char c, bool expected) => Assert.That(RequestEncoder.IsPythonWhitespace(c), Is.EqualTo(expected));
}
