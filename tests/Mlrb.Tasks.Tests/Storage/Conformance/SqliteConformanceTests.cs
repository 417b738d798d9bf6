using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.Storage.Conformance;

/// <summary>The store contract on SQLite files.</summary>
public sealed class SqliteConformanceTests : RunStoreConformanceTests
{
    private string _dir = null!;
    private int _files;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-conformance");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <inheritdoc />
    protected override string NewLocation() => Path.Combine(_dir, $"runs-{++_files}.db");
}
