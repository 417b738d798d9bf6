using Mlrb.Cli.Viewer;
using Mlrb.Cli.Viewer.Data;
using Mlrb.Tasks.Results;
using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Commands.Results;

/// <summary><c>mlrb results --html FILE</c>: the results page as one self-contained file.</summary>
internal static class ResultsHtml
{
    /// <summary>Reads the store (SQLite read-only; PostgreSQL through the store) and writes the file.</summary>
    /// <returns>0, or 1 when the store cannot be read or the file cannot be written.</returns>
    public static async Task<int> WriteAsync(string location, ResultsFilter filter, string file, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<RunRecord> runs;
            if (RunStoreFactory.IsPostgres(location))
            {
                await using var store = await RunStoreFactory.OpenAsync(location, cancellationToken).ConfigureAwait(false);
                runs = await store.ListRunsAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                runs = ViewerStore.Open(location).ListRuns();
            }

            ViewerExports.Write(file, ViewerExports.Results(ResultsLedger.Summarize(runs, filter), StoreLocations.Describe(location)));
            return 0;
        }
        catch (Exception ex) when (ex is ViewerStoreException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await error.WriteLineAsync($"mlrb results: cannot write {file}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
