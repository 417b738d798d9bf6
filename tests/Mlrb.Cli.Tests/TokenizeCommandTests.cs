using System.CommandLine;
using System.Text;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>mlrb tokenize</c> through the real command tree, on a hand-written tokenizer folder and on the real GPT-2 files.</summary>
public class TokenizeCommandTests
{
    // A byte-level BPE: "hello" merges fully; " world" -> Ġw+or -> Ġwor, l, d (ids worked out by hand).
    private const string TokenizerJson = """
    {
      "added_tokens": [{"id": 15, "content": "<|endoftext|>", "special": true, "normalized": false}],
      "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
      "decoder": {"type": "ByteLevel"},
      "model": {"type": "BPE",
        "vocab": {"h": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "w": 5, "r": 6, "d": 7, "he": 8, "ll": 9, "hell": 10, "hello": 11, "Ġw": 12, "or": 13, "Ġwor": 14},
        "merges": ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or"]}
    }
    """;

    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = TestPaths.CreateTempDirectory("mlrb-cli-tok");
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), TokenizerJson, new UTF8Encoding(false));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApplication.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public void Encode_PrintsIdsAndTokens()
    {
        var (code, output, _) = Run("tokenize", "--model", _dir, "hello world");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(0));
            Assert.That(lines[0].Trim(), Is.EqualTo("11 14 2 7"));
            Assert.That(lines[2], Does.Contain("14").And.Contain("Ġwor"));
            Assert.That(lines[^1].Trim(), Is.EqualTo("4 tokens"));
        });
    }

    [Test]
    public void Encode_Json_HasIdsTokensAndCount()
    {
        var (code, output, _) = Run("tokenize", "--model", _dir, "--json", "hello<|endoftext|>");
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(0));
            Assert.That(root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 11, 15 }));
            Assert.That(root.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "hello", "<|endoftext|>" }));
            Assert.That(root.GetProperty("count").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public void Ids_DecodesToText()
    {
        var (code, output, _) = Run("tokenize", "--model", _dir, "--ids", "11,14,2,7");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(0));
            Assert.That(output.TrimEnd('\n', '\r'), Is.EqualTo("hello world"));
        });
    }

    [Test]
    public void Ids_Json_ReportsUnknownIds()
    {
        var (code, output, _) = Run("tokenize", "--model", _dir, "--json", "--ids", "11,999");
        using var doc = JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(0));
            Assert.That(doc.RootElement.GetProperty("text").GetString(), Is.EqualTo("hello"));
            Assert.That(doc.RootElement.GetProperty("unknown_ids").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 999 }));
        });
    }

    [Test]
    public void BadIds_IsAOneLineError()
    {
        var (code, output, error) = Run("tokenize", "--model", _dir, "--ids", "1,x");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.EqualTo(0));
            Assert.That(output, Is.Empty);
            Assert.That(error.Trim(), Does.Contain("'x'").And.Not.Contain("\n"));
        });
    }

    [Test]
    public void FolderWithoutTokenizer_IsAOneLineError()
    {
        var empty = TestPaths.CreateTempDirectory("mlrb-cli-empty");
        try
        {
            var (code, _, error) = Run("tokenize", "--model", empty, "hi");
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(1));
                Assert.That(error, Does.Contain("no tokenizer found"));
            });
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Test]
    public void NeitherTextNorIds_IsAnError()
        => Assert.That(Run("tokenize", "--model", _dir).Code, Is.Not.EqualTo(0));

    [Test]
    public void RealGpt2Files_GiveTheKnownIds()
    {
        var gpt2 = TestPaths.RequireSharedData("tokenizers/gpt2");
        var (code, output, _) = Run("tokenize", "--model", gpt2, "--json", "Hello world");
        using var doc = JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(0));
            Assert.That(doc.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 15496, 995 }));
        });
    }
}
