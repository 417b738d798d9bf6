using System.Globalization;
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
}
