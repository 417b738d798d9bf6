using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.Storage.Postgres;

/// <summary>Conversions between record values and PostgreSQL columns.</summary>
internal static class PostgresValues
{
    /// <summary>timestamptz takes UTC values only.</summary>
    public static DateTimeOffset Utc(DateTimeOffset value) => value.ToUniversalTime();

    public static object? Utc(DateTimeOffset? value) => value is { } v ? v.ToUniversalTime() : null;

    public static object? Ticks(TimeSpan? value) => value?.Ticks;

    /// <summary>Non-finite scores are stored as null, as in the SQLite store.</summary>
    public static object? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    public static string? Name(RunOutcome? value) => value?.ToName();
}
