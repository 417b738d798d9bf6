using BenchmarkDotNet.Running;

namespace Mlrb.Benchmarks;

/// <summary>
/// Entry point. <c>dotnet run -c Release --project benchmarks/Mlrb.Benchmarks -- --filter *</c> runs BenchmarkDotNet;
/// <c>-- gemm [size] [threads]</c> and <c>-- score MODEL REQUESTS.json [threads]</c> are the stopwatch modes that
/// benchmarks/scripts/compare-torch.sh runs next to PyTorch on the same machine; <c>-- prefix-score MODEL REQUESTS.json [threads]</c>
/// is compare-prefix.sh's (nested vs single-level prefix sharing).
/// </summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "gemm")
        {
            GemmComparison.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "score")
        {
            await ScoringComparison.RunAsync(args[1..]).ConfigureAwait(false);
            return;
        }

        if (args.Length > 0 && args[0] == "prefix-score")
        {
            await PrefixSharingComparison.RunAsync(args[1..]).ConfigureAwait(false);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
