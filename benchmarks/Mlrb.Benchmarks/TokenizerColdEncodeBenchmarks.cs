using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Benchmarks;

/// <summary>
/// Encoding 10,000 BLiMP sentences once with a freshly loaded tokenizer (empty per-piece cache): every first sight of a word runs BPE.
/// One invocation per iteration; the load happens in the iteration setup and is not measured.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class TokenizerColdEncodeBenchmarks
{
    private string[] _sentences = [];
    private ITokenizer _gpt2 = null!;
    private ITokenizer _llama = null!;

    /// <summary>Loads the sentences.</summary>
    [GlobalSetup]
    public void Setup() => _sentences = BenchmarkData.BlimpSentences(10_000);

    /// <summary>Fresh tokenizers, so the caches are empty.</summary>
    [IterationSetup]
    public void FreshTokenizers()
    {
        _gpt2 = TokenizerEncodeBenchmarks.LoadGpt2();
        _llama = TokenizerEncodeBenchmarks.LoadLlama2();
    }

    /// <summary>GPT-2, cold cache.</summary>
    /// <returns>The total token count.</returns>
    [Benchmark]
    public int Gpt2_Encode10kSentences_Cold()
    {
        var total = 0;
        foreach (var s in _sentences)
        {
            total += _gpt2.Encode(s, addSpecialTokens: false).Count;
        }

        return total;
    }

    /// <summary>Llama-2, cold cache.</summary>
    /// <returns>The total token count.</returns>
    [Benchmark]
    public int Llama2_Encode10kSentences_Cold()
    {
        var total = 0;
        foreach (var s in _sentences)
        {
            total += _llama.Encode(s, addSpecialTokens: false).Count;
        }

        return total;
    }
}
