using Mlrb.Tasks.Storage.Postgres;

namespace Mlrb.Tasks.Storage;

/// <summary>Opens run stores.</summary>
public static class RunStoreFactory
{
    /// <summary>The schema version this build writes; readers refuse stores whose version is higher.</summary>
    public static int SchemaVersion => SqliteMigrations.LatestVersion;

    /// <summary>
    /// Opens (creating if needed) the SQLite run store at <paramref name="databasePath"/>, in WAL mode,
    /// applying any pending schema migrations.
    /// </summary>
    /// <param name="databasePath">Path of the database file; missing parent folders are created.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; dispose it to close the connection.</returns>
    /// <exception cref="InvalidOperationException">
    /// The file is not a usable SQLite database, or its schema is newer than this build supports.
    /// </exception>
    public static Task<IRunStore> OpenSqliteAsync(string databasePath, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Run<IRunStore>(() => SqliteRunStore.Open(databasePath), cancellationToken);
    }

    /// <summary>
    /// Opens (creating the schema if needed) a PostgreSQL run store shared by many processes and machines, applying any
    /// pending migrations. Calls are retried on transient failures (a dropped connection, a restarting server) without
    /// duplicating or double-counting anything.
    /// </summary>
    /// <param name="location">
    /// A <c>postgres://user@host:port/database</c> URL or an Npgsql connection string. It must not carry a password:
    /// give that in <c>PGPASSWORD</c> or a pgpass file.
    /// </param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; dispose it to close its connection pool.</returns>
    /// <exception cref="ArgumentException">The location is malformed or carries a password.</exception>
    /// <exception cref="InvalidOperationException">The server cannot be reached, or the schema is newer than this build.</exception>
    public static async Task<IRunStore> OpenPostgresAsync(string location, CancellationToken cancellationToken = default) =>
        await PostgresRunStore.OpenAsync(location, null, cancellationToken).ConfigureAwait(false);

    /// <summary>True when <paramref name="location"/> names a PostgreSQL store (a postgres:// URL or a connection string), not a file.</summary>
    /// <param name="location">A database file path, a postgres:// URL or an Npgsql connection string.</param>
    /// <returns>Whether <see cref="OpenAsync"/> would open PostgreSQL.</returns>
    public static bool IsPostgres(string location) => PostgresLocation.IsPostgres(location ?? throw new ArgumentNullException(nameof(location)));

    /// <summary>
    /// Opens the store <paramref name="location"/> names: PostgreSQL for a <c>postgres://</c> (or <c>postgresql://</c>)
    /// URL or a <c>Host=…;</c> connection string, otherwise the SQLite file at that path.
    /// </summary>
    /// <param name="location">A database file path, a postgres:// URL or an Npgsql connection string.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store.</returns>
    public static Task<IRunStore> OpenAsync(string location, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return PostgresLocation.IsPostgres(location) ? OpenPostgresAsync(location, cancellationToken) : OpenSqliteAsync(location, cancellationToken);
    }
}
