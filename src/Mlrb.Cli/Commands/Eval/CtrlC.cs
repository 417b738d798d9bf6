namespace Mlrb.Cli.Commands.Eval;

/// <summary>
/// Runs work with its own Ctrl+C handling: the first Ctrl+C cancels the token (so partial results get written),
/// a second one ends the process. Bad input becomes a one-line error and exit code 1.
/// </summary>
internal static class CtrlC
{
    /// <summary>Runs the work to completion and returns its exit code.</summary>
    public static int Run(TextWriter error, Func<CancellationToken, Task<int>> work, string verb)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            if (!cts.IsCancellationRequested)
            {
                e.Cancel = true;
                error.WriteLine();
                error.WriteLine($"mlrb {verb}: stopping after the current chunk (Ctrl+C again to abort)...");
                cts.Cancel();
            }
        };
        Console.CancelKeyPress += handler;
        try
        {
            return work(cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error.WriteLine($"mlrb {verb}: {Mlrb.Cli.Telemetry.TracedAction.OneLine(ex.Message)}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }
}
