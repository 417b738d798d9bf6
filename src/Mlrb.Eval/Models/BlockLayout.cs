namespace Mlrb.Eval.Models;

/// <summary>How a transformer block wires attention (A), feed-forward (F), norms (N) and residual adds.</summary>
internal enum BlockLayout
{
    /// <summary><c>x += A(N1(x)); x += F(N2(x))</c> — GPT-2, Llama, Gemma, GPT-NeoX sequential, OPT with <c>do_layer_norm_before</c>.</summary>
    PreNorm,

    /// <summary><c>x += A(N1(x)) + F(N2(x))</c> — GPT-NeoX with <c>use_parallel_residual</c>.</summary>
    Parallel,

    /// <summary><c>h = N1(x); x += A(h) + F(h)</c> — Phi.</summary>
    ParallelSharedNorm,

    /// <summary><c>x = N1(x + A(x)); x = N2(x + F(x))</c> — OPT without <c>do_layer_norm_before</c> (opt-350m).</summary>
    PostNorm,
}
