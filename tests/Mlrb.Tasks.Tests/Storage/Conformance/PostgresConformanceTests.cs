using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.Storage.Conformance;

/// <summary>The store contract on a real PostgreSQL server (a throw-away local cluster; skipped with the reason when none can be started).</summary>
public sealed class PostgresConformanceTests : RunStoreConformanceTests
{
    [SetUp]
    public void SetUp() => PostgresTestServer.RequireServer();

    /// <inheritdoc />
    protected override string NewLocation() => PostgresTestServer.CreateDatabase();
}
