using System.CommandLine;
using System.CommandLine.Invocation;
using System.Diagnostics;

namespace Mlrb.Cli.Telemetry;

/// <summary>
/// Wraps a command's action: starts OTLP export when asked (<c>--otlp</c>, <c>MLRB_OTLP_ENDPOINT</c>), runs the command
/// inside its root span (<c>mlrb run</c>, tagged with the exit code) and flushes the export at the end. Without an
/// endpoint nothing is exported and nothing extra is printed; in-process listeners still see the spans.
/// </summary>
/// <param name="inner">The command's own action.</param>
/// <param name="commandPath">The command as typed, e.g. <c>mlrb tasks list</c>.</param>
/// <param name="otlp">The root's <c>--otlp</c> option.</param>
internal sealed class TracedAction(CommandLineAction inner, string commandPath, Option<string?> otlp) : AsynchronousCommandLineAction
{
    /// <inheritdoc />
    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        OtlpExport? export;
        try
        {
            export = OtlpExport.Start(parseResult.GetValue(otlp));
        }
        catch (ArgumentException ex)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync("mlrb: " + ex.Message).ConfigureAwait(false);
            return 2;
        }

        using (export)
        {
            using var activity = CliTelemetry.Source.StartActivity(commandPath, ActivityKind.Internal);
            activity?.SetTag("mlrb.cli.command", commandPath);
            int code;
            try
            {
                code = inner switch
                {
                    AsynchronousCommandLineAction asynchronous => await asynchronous.InvokeAsync(parseResult, cancellationToken).ConfigureAwait(false),
                    SynchronousCommandLineAction synchronous => synchronous.Invoke(parseResult),
                    _ => throw new InvalidOperationException($"Unknown action type {inner.GetType().Name}."),
                };
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Last resort: whatever a verb did not handle is still one line and exit code 1, never a stack trace.
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"{commandPath}: {OneLine(ex.Message)}").ConfigureAwait(false);
                return 1;
            }

            activity?.SetTag("mlrb.cli.exit_code", code);
            if (code != 0)
            {
                activity?.SetStatus(ActivityStatusCode.Error, $"exit code {code}");
            }

            return code;
        }
    }

    /// <summary>The first line of a message, at most 500 characters.</summary>
    internal static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 500 ? line : line[..500] + "...";
    }
}
