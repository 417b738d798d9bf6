using Mlrb.Tasks.Runs;
using Npgsql;

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

    public static string? OptionalString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static double? OptionalDouble(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static decimal? OptionalDecimal(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);

    public static TimeSpan? OptionalTimeSpan(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : TimeSpan.FromTicks(reader.GetInt64(ordinal));

    public static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? OptionalTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    /// <summary>An outcome column; a name this build does not know reads as null rather than failing the whole read.</summary>
    public static RunOutcome? OptionalOutcome(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : RunOutcomes.TryParse(reader.GetString(ordinal), out var outcome) ? outcome : null;

    public static TEnum Enum<TEnum>(NpgsqlDataReader reader, int ordinal)
        where TEnum : struct, System.Enum =>
        System.Enum.Parse<TEnum>(reader.GetString(ordinal));
}
