using Npgsql;
using Polly;
using Polly.Retry;

namespace Mlrb.Tasks.Storage.Postgres;

/// <summary>
/// <see cref="IRunStore"/> over PostgreSQL, for many processes on many machines sharing one store. Every call runs on a
/// pooled connection and commits before it returns. A call that fails with a transient error (a dropped connection, a
/// restarting server) is retried with backoff; inserts carry an idempotency token and completions a completion token,
/// so a retry after a commit whose acknowledgement was lost neither duplicates nor double-counts anything.
/// </summary>
internal sealed partial class PostgresRunStore : IRunStore, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ResiliencePipeline _retry;
    private int _disposed;

    private PostgresRunStore(NpgsqlDataSource dataSource, string description)
    {
        _dataSource = dataSource;
        Description = description;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(IsTransient).Handle<TimeoutException>(),
                MaxRetryAttempts = 6,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(5),
                UseJitter = true,
            })
            .Build();
    }

    /// <summary>The server and database, without credentials.</summary>
    public string Description { get; }

    /// <summary>Connects, and applies pending migrations.</summary>
    /// <param name="location">A postgres:// URL or an Npgsql connection string, without a password.</param>
    /// <param name="targetVersion">Stop migrating at this version (tests only).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store.</returns>
    public static async Task<PostgresRunStore> OpenAsync(string location, int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        var builder = PostgresLocation.Parse(location);
        var description = PostgresLocation.Describe(builder);
        var dataSource = NpgsqlDataSource.Create(builder);
        var store = new PostgresRunStore(dataSource, description);
        try
        {
            await store._retry.ExecuteAsync(
                async ct =>
                {
                    await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                    await PostgresMigrations.ApplyAsync(connection, description, targetVersion, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (NpgsqlException ex)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Cannot open run database {description}: {ex.Message}", ex);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _dataSource.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="action"/> on a pooled connection, retrying transient failures.</summary>
    private async Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await _retry.ExecuteAsync(
            async ct =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                return await action(connection, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static bool IsTransient(NpgsqlException exception) =>
        exception.IsTransient || exception is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08003" or "40001" };

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
