namespace Mlrb.Tasks;

/// <summary>Which benchmark a task belongs to.</summary>
public enum BenchmarkSuite
{
    /// <summary>The paper's full benchmark: 24-hour tasks on one A100 40GB.</summary>
    Full,

    /// <summary>The mini benchmark: 8-hour variants that start from a small GPT-2 baseline.</summary>
    Mini,
}
