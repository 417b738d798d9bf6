using BenchmarkDotNet.Running;

namespace Mlrb.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/Mlrb.Benchmarks -- --filter *</c>.</summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
