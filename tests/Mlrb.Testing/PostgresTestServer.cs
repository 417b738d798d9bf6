using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NUnit.Framework;

namespace Mlrb.Testing;

/// <summary>
/// A throw-away PostgreSQL cluster for the tests: Debian's <c>initdb</c>/<c>pg_ctl</c>, a data folder under /tmp, a Unix
/// socket only (no TCP port), trust authentication, owned by the <c>postgres</c> user when the tests run as root
/// (PostgreSQL refuses to run as root). Started once per test process, stopped when it exits. Each caller gets its own
/// database. When no server can be started here, <see cref="SkipReason"/> says why and the tests skip.
/// </summary>
public static class PostgresTestServer
{
    private static readonly Lazy<(string? Socket, int Port, string? Reason)> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databases;

    /// <summary>Why no server is available, or null when one is running.</summary>
    public static string? SkipReason => Server.Value.Reason;

    /// <summary>Skips the calling test (with the reason) when no server could be started.</summary>
    public static void RequireServer()
    {
        if (SkipReason is { } reason)
        {
            Assert.Ignore("PostgreSQL: " + reason);
        }
    }

    /// <summary>Creates a new, empty database and returns a connection string for it (no password).</summary>
    public static string CreateDatabase()
    {
        RequireServer();
        var name = $"mlrb_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }

        return ConnectionString(name);
    }

    /// <summary>The same database as a postgres:// URL over the Unix socket.</summary>
    public static string Url(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://mlrb@/{builder.Database}?host={Uri.EscapeDataString(builder.Host!)}&port={builder.Port}";
    }

    /// <summary>Terminates every other session on <paramref name="database"/> (a dropped connection, as a restart gives).</summary>
    public static int TerminateSessions(string database)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Server.Value.Socket,
        Port = Server.Value.Port,
        Username = "mlrb",
        Database = database,
        Pooling = true,
        Timeout = 15,
    }.ToString();

    private static (string? Socket, int Port, string? Reason) Start()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, 0, "the throw-away server is started with Debian's PostgreSQL tools, on Linux only");
        }

        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            return (null, 0, "initdb not found under /usr/lib/postgresql (install Debian's postgresql package; .ci/run does)");
        }

        var root = Environment.UserName == "root";
        var dir = Path.Combine(Path.GetTempPath(), "mlrb-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var port = 50000 + (Environment.ProcessId % 10000);
        try
        {
            if (root)
            {
                Exec("chown", null, "postgres:postgres", dir);
            }

            var data = Path.Combine(dir, "data");
            Exec(Path.Combine(bin, "initdb"), root ? "postgres" : null, "-D", data, "-A", "trust", "-U", "mlrb", "-E", "UTF8", "--no-sync");
            Exec(
                Path.Combine(bin, "pg_ctl"),
                root ? "postgres" : null,
                "-D", data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60",
                "-o", $"-c listen_addresses='' -k {dir} -p {port} -c fsync=off -c max_connections=200",
                "start");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return (null, 0, "could not start a local server: " + ex.Message);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Exec(Path.Combine(bin, "pg_ctl"), root ? "postgres" : null, "-D", Path.Combine(dir, "data"), "-m", "immediate", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Left in /tmp.
            }
        };
        return (dir, port, null);
    }

    private static void Exec(string program, string? asUser, params string[] arguments)
    {
        var start = new ProcessStartInfo(asUser is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser is not null)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(asUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish in 120 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with {process.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}".Trim());
        }
    }
}
