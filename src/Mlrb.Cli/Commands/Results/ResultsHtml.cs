using Mlrb.Cli.Viewer;
using Mlrb.Cli.Viewer.Data;
using Mlrb.Tasks.Results;

namespace Mlrb.Cli.Commands.Results;

/// <summary><c>mlrb results --html FILE</c>: the results page as one self-contained file.</summary>
internal static class ResultsHtml
{
    /// <summary>Reads the store (read-only) and writes the file.</summary>
    /// <returns>0, or 1 when the store cannot be read or the file cannot be written.</returns>
    public static int Write(string databasePath, ResultsFilter filter, string file, TextWriter error)
    {
        try
        {
            var store = ViewerStore.Open(databasePath);
            var report = ResultsLedger.Summarize(store.ListRuns(), filter);
            ViewerExports.Write(file, ViewerExports.Results(report, store.DatabasePath));
            return 0;
        }
        catch (Exception ex) when (ex is ViewerStoreException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"mlrb results: cannot write {file}: {ex.Message}");
            return 1;
        }
    }
}
