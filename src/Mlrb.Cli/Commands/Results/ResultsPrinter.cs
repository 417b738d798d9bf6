using Microsoft.Data.Sqlite;
using Mlrb.Tasks.Results;
using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Commands.Results;

/// <summary>Reads a run store and prints its results report (shared by <c>mlrb results</c> and <c>mlrb bench</c>).</summary>
internal static class ResultsPrinter
{
    /// <summary>Opens the store, aggregates and prints.</summary>
    /// <returns>0, or 1 when the store is missing or unreadable.</returns>
    public static async Task<int> PrintStoreAsync(string? databasePath, ResultsFilter filter, ResultsOutput format, bool runs, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var path = StoreLocations.Resolve(databasePath, Path.Combine("runs", "mlrb.db"));
        if (!RunStoreFactory.IsPostgres(path) && !File.Exists(path))
        {
            await stderr.WriteLineAsync($"mlrb results: no run store at {path} (give --db, e.g. runs/mlrb.db after mlrb run --workdir runs).").ConfigureAwait(false);
            return 1;
        }

        ResultsReport report;
        try
        {
            await using var store = await RunStoreFactory.OpenAsync(path, cancellationToken).ConfigureAwait(false);
            report = await ResultsLedger.LoadAsync(store, filter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or SqliteException or IOException)
        {
            await stderr.WriteLineAsync($"mlrb results: cannot read {StoreLocations.Describe(path)}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await PrintAsync(report, format, runs, stdout).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Prints a report.</summary>
    public static async Task PrintAsync(ResultsReport report, ResultsOutput format, bool runs, TextWriter stdout)
    {
        var text = format switch
        {
            ResultsOutput.Json => report.ToJson() + "\n",
            ResultsOutput.Csv => runs ? ResultsFormatter.ToRunsCsv(report) : ResultsFormatter.ToCsv(report),
            _ => runs && report.Runs.Count > 0 ? ResultsFormatter.ToTable(report) + "\n" + ResultsFormatter.ToRunsTable(report) : ResultsFormatter.ToTable(report),
        };
        await stdout.WriteAsync(text).ConfigureAwait(false);
    }
}
