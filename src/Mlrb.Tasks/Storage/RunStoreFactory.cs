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
}
