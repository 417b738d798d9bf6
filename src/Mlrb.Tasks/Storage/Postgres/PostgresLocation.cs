using Npgsql;

namespace Mlrb.Tasks.Storage.Postgres;

/// <summary>
/// Where a PostgreSQL run store lives: a <c>postgres://user@host:port/database?option=value</c> URL or an Npgsql
/// connection string (<c>Host=…;Database=…</c>). Passwords are refused here, so they never reach a command line, a
/// shell history or a log: Npgsql takes them from <c>PGPASSWORD</c> or a pgpass file (<c>PGPASSFILE</c>, <c>~/.pgpass</c>).
/// </summary>
internal static class PostgresLocation
{
    /// <summary>True when <paramref name="location"/> names a PostgreSQL store rather than a SQLite file.</summary>
    public static bool IsPostgres(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || location.Contains("host=", StringComparison.OrdinalIgnoreCase) && location.Contains(';', StringComparison.Ordinal);

    /// <summary>Parses <paramref name="location"/> into a connection string builder.</summary>
    /// <exception cref="ArgumentException">Malformed, or it carries a password.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var builder = location.Contains("://", StringComparison.Ordinal) ? FromUrl(location) : FromConnectionString(location);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            throw new ArgumentException(
                "The PostgreSQL location carries a password; give it in PGPASSWORD or a pgpass file instead, so it never appears on a command line or in a log.");
        }

        builder.ApplicationName ??= "mlrb";
        return builder;
    }

    /// <summary>The server and database without credentials, for messages.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"postgres://{builder.Username}{(string.IsNullOrEmpty(builder.Username) ? string.Empty : "@")}{builder.Host}:{builder.Port}/{builder.Database}";

    private static NpgsqlConnectionStringBuilder FromConnectionString(string text)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Not a PostgreSQL connection string: {ex.Message}", ex);
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        // Parsed by hand: libpq's URLs may leave the host empty (a Unix socket named by ?host=/path), which Uri refuses.
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var scheme = text[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("postgres" or "postgresql"))
        {
            throw new ArgumentException($"Not a postgres:// URL: '{Redact(text)}'.");
        }

        var rest = text[(schemeEnd + 3)..];
        var query = string.Empty;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var path = slash >= 0 ? rest[(slash + 1)..] : string.Empty;

        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var parts = authority[..at].Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }

            authority = authority[(at + 1)..];
        }

        var colon = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        if (colon > 0)
        {
            if (!int.TryParse(authority[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"Not a valid port in the PostgreSQL URL: '{authority[(colon + 1)..]}'.");
            }

            builder.Port = port;
            authority = authority[..colon];
        }

        if (authority.Length > 0)
        {
            builder.Host = Uri.UnescapeDataString(authority.Trim('[', ']'));
        }

        var database = Uri.UnescapeDataString(path);
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;

            // libpq's names for the options users put in URLs; anything else is taken as an Npgsql keyword.
            key = key.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "host" => "Host",
                "port" => "Port",
                "user" => "Username",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                _ => key,
            };
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Unknown PostgreSQL URL option '{kv[0]}': {ex.Message}", ex);
            }
        }

        return builder;
    }

    private static string Redact(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme >= 0 && at > scheme ? text[..(scheme + 3)] + "…" + text[at..] : text;
    }
}
