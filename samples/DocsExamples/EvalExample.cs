using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Tokenization;
using Mlrb.Tasks;

namespace DocsExamples;

/// <summary>Mlrb.Eval: load a Hugging Face checkpoint, score continuations, and find the benchmark of a task.</summary>
public static class EvalExample
{
    public static async Task<(int Tokens, IReadOnlyList<LogLikelihoodResult> Scores, BenchmarkKind Benchmark)> RunAsync(string modelDirectory)
    {
        // The tokenizer Hugging Face would load for this checkpoint (tokenizer.json, vocab.json + merges.txt, or SentencePiece).
        ITokenizer tokenizer = TokenizerLoader.Load(modelDirectory);
        int tokens = tokenizer.Encode("The cats sleep on the mat.").Count;

        // The checkpoint (config.json + safetensors) in the managed-SIMD engine, fp32 on the CPU.
        ILogLikelihoodScorer scorer = ModelScorer.Load(modelDirectory, new ModelScorerOptions { Threads = 2 });

        // log P(continuation | context), summed over the continuation's tokens, as lm-evaluation-harness computes it.
        IReadOnlyList<LogLikelihoodResult> scores = await scorer.ScoreAsync(
        [
            new LogLikelihoodRequest("", "The cats sleep on the mat."),   // a BLiMP-style minimal pair: the model
            new LogLikelihoodRequest("", "The cats sleeps on the mat."),  // is right when the first scores higher
        ]);

        // Which benchmark scores a task's submission, read from the task record (BLiMP for BabyLM, SuperGLUE for MiniPile, ...).
        TaskEvaluationPlan plan = TaskEvaluationPlan.For(TaskCatalog.Builtin.GetTask("baby_lm"));
        return (tokens, scores, plan.Benchmark);
    }
}
