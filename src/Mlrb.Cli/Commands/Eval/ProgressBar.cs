using System.Globalization;
using Mlrb.Eval.Benchmarks;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>A one-line progress bar with ETA on the error stream, redrawn at most every 200 ms.</summary>
internal sealed class ProgressBar(TextWriter writer, TimeProvider time) : IProgress<EvaluationProgress>
{
    private const int Width = 30;
    private long _lastDraw = long.MinValue;

    /// <summary>Draws the bar.</summary>
    public void Report(EvaluationProgress value)
    {
        var now = time.GetTimestamp();
        var done = value.CompletedRequests >= value.TotalRequests;
        if (!done && _lastDraw != long.MinValue && time.GetElapsedTime(_lastDraw, now) < TimeSpan.FromMilliseconds(200))
        {
            return;
        }

        _lastDraw = now;
        writer.Write("\r" + Format(value) + (done ? Environment.NewLine : string.Empty));
        writer.Flush();
    }

    /// <summary>The bar text, e.g. <c>[#######.......]  50% 10/20 requests, ETA 00:00:05</c>.</summary>
    public static string Format(EvaluationProgress value)
    {
        var fraction = value.TotalRequests == 0 ? 1.0 : (double)value.CompletedRequests / value.TotalRequests;
        var filled = (int)Math.Round(fraction * Width);
        var eta = value.Remaining is { } r ? r.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
        return $"[{new string('#', filled)}{new string('.', Width - filled)}] {(fraction * 100).ToString("F0", CultureInfo.InvariantCulture),3}% {value.CompletedRequests}/{value.TotalRequests} requests, ETA {eta}";
    }
}
