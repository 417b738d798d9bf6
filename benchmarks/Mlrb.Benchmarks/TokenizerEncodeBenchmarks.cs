using BenchmarkDotNet.Attributes;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Benchmarks;

/// <summary>
/// Encoding 10,000 BLiMP sentences with the real GPT-2 and Llama-2 tokenizers (../shared/data), with the per-piece cache warm
/// (the steady state of an evaluation, where contexts are re-encoded), and loading each tokenizer.
/// Run: <c>dotnet run -c Release --project benchmarks/Mlrb.Benchmarks -- --filter *TokenizerEncodeBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet benchmarks are instance methods.")]
public class TokenizerEncodeBenchmarks
{
    private string[] _sentences = [];
    private ITokenizer _gpt2 = null!;
    private ITokenizer _llama = null!;

    /// <summary>Loads the sentences and tokenizers and warms the caches.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _sentences = BenchmarkData.BlimpSentences(10_000);
        _gpt2 = LoadGpt2();
        _llama = LoadLlama2();
        Gpt2_Encode10kSentences();
        Llama2_Encode10kSentences();
    }

    /// <summary>GPT-2 byte-level BPE, warm cache.</summary>
    /// <returns>The total token count.</returns>
    [Benchmark]
    public int Gpt2_Encode10kSentences()
    {
        var total = 0;
        foreach (var s in _sentences)
        {
            total += _gpt2.Encode(s, addSpecialTokens: false).Count;
        }

        return total;
    }

    /// <summary>Llama-2 SentencePiece BPE, warm cache.</summary>
    /// <returns>The total token count.</returns>
    [Benchmark]
    public int Llama2_Encode10kSentences()
    {
        var total = 0;
        foreach (var s in _sentences)
        {
            total += _llama.Encode(s, addSpecialTokens: false).Count;
        }

        return total;
    }

    /// <summary>Loading encoder.json + vocab.bpe (50,257 tokens, 50,000 merges).</summary>
    /// <returns>The tokenizer.</returns>
    [Benchmark]
    public ITokenizer Gpt2_Load() => LoadGpt2();

    /// <summary>Loading the Llama-2 tokenizer.model (32,000 pieces; merges derived from scores).</summary>
    /// <returns>The tokenizer.</returns>
    [Benchmark]
    public ITokenizer Llama2_Load() => LoadLlama2();

    internal static ITokenizer LoadGpt2()
        => TokenizerLoader.LoadVocabAndMerges(BenchmarkData.Require("tokenizers/gpt2/encoder.json"), BenchmarkData.Require("tokenizers/gpt2/vocab.bpe"));

    internal static ITokenizer LoadLlama2() => TokenizerLoader.LoadSentencePiece(BenchmarkData.Require("tokenizers/llama-spm/tokenizer.model"));
}
