using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mlrb.Eval.Scoring;

namespace Mlrb.Benchmarks;

/// <summary>
/// <c>score MODEL REQUESTS.json [threads] [fp32|bf16]</c>: scores token requests (<c>[[ctx...],[cont...]]</c> pairs) and prints tokens/s
/// (tokens = model input tokens, as the PyTorch reference counts them) and the peak resident memory.
/// </summary>
internal static class ScoringComparison
{
    public static async Task RunAsync(string[] args)
    {
        var model = args[0];
        var pairs = JsonSerializer.Deserialize<int[][][]>(File.ReadAllText(args[1]))!;
        var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        var bf16 = args.Length > 3 && args[3] == "bf16";
        var requests = pairs.Select(p => new TokenLogLikelihoodRequest(p[0], p[1])).ToList();
        var tokens = pairs.Sum(p => p[0].Length + p[1].Length - 1);
        var load = Stopwatch.StartNew();
        var scorer = ModelScorer.Load(model, new ModelScorerOptions { Threads = threads, DType = bf16 ? ComputeDType.Bf16 : ComputeDType.Fp32 });
        var weightBytes = ((LogLikelihoodScorer)scorer).Model.ParameterBytes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlrb load: {load.Elapsed.TotalSeconds:F1} s, peak RSS while loading {PeakResidentMegabytes()} MB, resident weights {weightBytes >> 20} MB"));
        ResetPeakResident();
        await scorer.ScoreTokensAsync(requests.Take(64).ToList()).ConfigureAwait(false);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var results = await scorer.ScoreTokensAsync(requests).ConfigureAwait(false);
        var seconds = sw.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlrb score: {requests.Count} requests, {tokens} tokens in {seconds:F2} s = {tokens / seconds:F0} tokens/s wall, {tokens / cpuSeconds:F0} tokens per CPU-second (threads={threads}, compute {(bf16 ? "bf16" : "fp32")})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlrb first results: {string.Join(", ", results.Take(3).Select(r => r.LogLikelihood.ToString("F4", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine($"mlrb peak RSS while scoring: {PeakResidentMegabytes()} MB");
    }

    /// <summary>Linux: writing 5 to clear_refs resets VmHWM, so the next reading covers scoring only.</summary>
    private static void ResetPeakResident()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string PeakResidentMegabytes()
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status))
        {
            return "n/a";
        }

        var line = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? "n/a" : (long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).ToString(CultureInfo.InvariantCulture);
    }
}
