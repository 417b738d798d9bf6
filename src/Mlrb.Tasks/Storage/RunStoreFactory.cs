namespace Mlrb.Tasks.Storage;

/// <summary>Opens run stores.</summary>
public static class RunStoreFactory
{
    /// <summary>
    /// Opens (creating if needed) the SQLite run store at <paramref name="databasePath"/>, in WAL mode,
    /// applying any pending schema migrations.
    /// </summary>
    /// <param name="databasePath">Path of the database file.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; dispose it to close the connection.</returns>
    public static Task<IRunStore> OpenSqliteAsync(string databasePath, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("The SQLite run store is being written (issue 2).");
}
