using System.Globalization;
using Microsoft.Data.Sqlite;
using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.Storage;

/// <summary>Conversions between record values and SQLite columns.</summary>
internal static class SqliteValues
{
    /// <summary>UTC ISO 8601 with a fixed width, so text order is time order.</summary>
    public static string ToText(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static object ToDb(DateTimeOffset? value) => value is { } v ? ToText(v) : DBNull.Value;

    public static object ToDb(string? value) => value is null ? DBNull.Value : value;

    public static object ToDb(decimal? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : DBNull.Value;

    public static object ToDb(TimeSpan? value) => value is { } v ? v.Ticks : DBNull.Value;

    public static object ToDb(double? value) => value is { } v && double.IsFinite(v) ? v : DBNull.Value;

    public static object ToDb(RunOutcome? value) => value is { } v ? v.ToName() : DBNull.Value;

    public static double? OptionalDouble(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    /// <summary>An outcome column; a name this build does not know reads as null rather than failing the whole read.</summary>
    public static RunOutcome? OptionalOutcome(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : RunOutcomes.TryParse(reader.GetString(ordinal), out var outcome) ? outcome : null;

    public static DateTimeOffset Time(SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static DateTimeOffset? OptionalTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    public static string? OptionalString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static decimal? OptionalDecimal(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : decimal.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture);

    public static TimeSpan? OptionalTimeSpan(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : TimeSpan.FromTicks(reader.GetInt64(ordinal));

    public static TEnum Enum<TEnum>(SqliteDataReader reader, int ordinal)
        where TEnum : struct, System.Enum =>
        System.Enum.Parse<TEnum>(reader.GetString(ordinal));
}
