using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Commands;

/// <summary>Where a command's run store is: <c>--db</c>, else <c>MLRB_DB</c>, else the command's default file.</summary>
internal static class StoreLocations
{
    /// <summary>The environment variable naming the run store (a file path or a postgres:// URL).</summary>
    public const string EnvironmentVariable = "MLRB_DB";

    /// <summary>Text for <c>--db</c>'s help.</summary>
    public const string Help = "Run store: a SQLite file, or PostgreSQL as postgres://user@host:port/db (password from PGPASSWORD or ~/.pgpass); default $MLRB_DB, else ";

    /// <summary>The store to open: a full file path, or a PostgreSQL location as given.</summary>
    public static string Resolve(string? given, string defaultPath)
    {
        var location = string.IsNullOrWhiteSpace(given)
            ? Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : defaultPath
            : given;
        return RunStoreFactory.IsPostgres(location) ? location : Path.GetFullPath(location);
    }

    /// <summary><paramref name="location"/> for messages: a password in a postgres:// URL is masked.</summary>
    public static string Describe(string location) =>
        System.Text.RegularExpressions.Regex.Replace(location, "(://[^:/@]*):[^@]*@", "$1:***@", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
}
