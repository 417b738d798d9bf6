using System.Diagnostics;
using System.Text;

namespace Mlrb.Eval.Metrics;

/// <summary>
/// Compiles each sample with the configured Lean executable: the sample passes when the process exits 0 within the
/// timeout. The child sees no variable whose name looks like a secret, and its whole process tree is killed on timeout.
/// </summary>
internal sealed class LeanChecker(LeanOptions options)
{
    private const int MaxOutputChars = 4000;
    private static readonly string[] SecretMarkers = ["KEY", "TOKEN", "SECRET", "PASSWORD", "CREDENTIAL"];

    /// <summary>Whether an executable is configured.</summary>
    public bool Available => !string.IsNullOrWhiteSpace(options.Executable);

    /// <summary>Checks one sample.</summary>
    public async Task<LeanCheck> CheckAsync(string code, CancellationToken cancellationToken)
    {
        if (!Available)
        {
            throw new InvalidOperationException("No Lean executable is configured.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "mlrb-lean-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "Sample.lean");
        await File.WriteAllTextAsync(file, code, cancellationToken).ConfigureAwait(false);
        try
        {
            var start = new ProcessStartInfo(options.Executable!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = options.WorkingDirectory ?? folder,
            };
            foreach (var a in options.Arguments)
            {
                start.ArgumentList.Add(a);
            }

            start.ArgumentList.Add(file);
            foreach (var name in start.Environment.Keys.Where(k => SecretMarkers.Any(m => k.Contains(m, StringComparison.OrdinalIgnoreCase))).ToList())
            {
                start.Environment.Remove(name);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + options.Executable);
            var stdout = ReadCappedAsync(process.StandardOutput);
            var stderr = ReadCappedAsync(process.StandardError);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
            return new LeanCheck(!timedOut && process.ExitCode == 0, timedOut, output.Length > MaxOutputChars ? output[..MaxOutputChars] : output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader)
    {
        var sb = new StringBuilder();
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (sb.Length < MaxOutputChars)
            {
                sb.Append(buffer, 0, Math.Min(n, MaxOutputChars - sb.Length));
            }
        }

        return sb.ToString();
    }
}
