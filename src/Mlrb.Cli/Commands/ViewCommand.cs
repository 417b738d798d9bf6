using System.CommandLine;
using System.Diagnostics;
using Mlrb.Cli.Commands.Eval;
using Mlrb.Cli.Viewer;
using Mlrb.Cli.Viewer.Data;
using Mlrb.Cli.Viewer.Hosting;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb view</c> verb: a read-only local web viewer for runs, transcripts, results and evaluation reports.</summary>
internal static class ViewCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var db = new Option<string?>("--db") { Description = "SQLite run store to read, never written (default: $MLRB_DB, else runs/mlrb.db)." };
        var results = new Option<string>("--results") { Description = "Folder of evaluation reports (mlrb eval --out).", DefaultValueFactory = _ => "results" };
        var host = new Option<string>("--host") { Description = "Address to listen on; anything but loopback requires --token.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one).", DefaultValueFactory = _ => 8765 };
        var open = new Option<bool>("--open") { Description = "Open the viewer in the default browser." };
        var token = new Option<string?>("--token") { Description = "Access token every request must carry (?token=, a bearer header, or the cookie the first visit sets)." };
        var export = new Option<string[]>("--export")
        {
            Description = "Write one run as a self-contained HTML file and exit: --export RUN_ID FILE.",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("view", "Browse runs, transcripts, results and evaluation reports in a local, read-only web viewer.")
        {
            db, results, host, port, open, token, export,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = new ViewerOptions
            {
                DatabasePath = StoreLocations.Resolve(parse.GetValue(db), Path.Combine("runs", "mlrb.db")),
                ResultsPath = parse.GetValue(results),
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                Token = parse.GetValue(token),
            };
            var exportArgs = parse.GetValue(export);
            return CtrlC.Run(error, ct => exportArgs is { Length: 2 }
                ? Task.FromResult(Export(options.DatabasePath, exportArgs[0], exportArgs[1], output, error))
                : ServeAsync(options, parse.GetValue(open), output, error, ct), "view");
        });
        return command;
    }

    private static int Export(string database, string runId, string file, TextWriter output, TextWriter error)
    {
        try
        {
            var html = ViewerExports.Run(ViewerStore.Open(database), runId);
            if (html is null)
            {
                error.WriteLine($"mlrb view: no run '{runId}' in {Path.GetFullPath(database)}.");
                return 1;
            }

            ViewerExports.Write(file, html);
            output.WriteLine($"Wrote {Path.GetFullPath(file)}");
            return 0;
        }
        catch (ViewerStoreException ex)
        {
            error.WriteLine($"mlrb view: {ex.Message}");
            return 2;
        }
    }

    private static async Task<int> ServeAsync(ViewerOptions options, bool open, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ViewerServer server;
        try
        {
            server = await ViewerServer.StartAsync(options, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ViewerStoreException or ArgumentException or IOException)
        {
            await error.WriteLineAsync($"mlrb view: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        await using (server.ConfigureAwait(false))
        {
            var url = options.Token is null ? server.Url.ToString() : $"{server.Url}?token={Uri.EscapeDataString(options.Token)}";
            await output.WriteLineAsync($"mlrb view: serving {Path.GetFullPath(options.DatabasePath)} (read-only) at {url}").ConfigureAwait(false);
            await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
            if (open)
            {
                TryOpen(url, error);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }

    private static void TryOpen(string url, TextWriter error)
    {
        try
        {
            var info = new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd" : OperatingSystem.IsMacOS() ? "open" : "xdg-open") { UseShellExecute = false };
            foreach (var argument in OperatingSystem.IsWindows() ? ["/c", "start", "", url] : new[] { url })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            error.WriteLine($"mlrb view: could not open a browser ({ex.Message}); open {url} yourself.");
        }
    }
}
