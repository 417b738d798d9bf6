using Mlrb.Eval.Inference.Ilgpu.Cublas;

namespace Mlrb.Eval.Tests.Inference.Cublas;

/// <summary>Finding and binding libcublas: the search order and the one-line errors (real loads, no GPU needed).</summary>
public class CublasLibraryTests
{
    [Test]
    public void Load_WhenNothingLoads_ThrowsOneLineErrorNamingTheLibrariesAndTheOverride()
    {
        var ex = Assert.Throws<CublasException>(() => CublasLibrary.Load(["libcublas.so.12", "libcublas.so.11"], _ => 0));
        Assert.That(ex!.Message, Does.Not.Contain('\n'));
        Assert.That(ex.Message, Does.Contain("libcublas.so.13").And.Contain("libcublas.so.12").And.Contain(CublasLibrary.PathVariable));
    }

    [Test]
    public void Load_TriesCandidatesInOrder_LoadingCublasLtFirst_AndSkipsMissingAbsolutePaths()
    {
        var tried = new List<string>();
        var library = CublasLibrary.Load(
            ["/nonexistent-mlrb/libcublas.so.13", "libcublas.so.13", "libcublas.so.12"],
            path =>
            {
                tried.Add(path);
                return path == "libcublas.so.12" ? 42 : 0;
            });

        Assert.That(library.Path, Is.EqualTo("libcublas.so.12"));
        Assert.That(library.Handle, Is.EqualTo((nint)42));
        Assert.That(tried, Is.EqualTo(new[] { "libcublasLt.so.13", "libcublas.so.13", "libcublasLt.so.12", "libcublas.so.12" }));
    }

    [Test]
    public void Candidates_OverrideFoldersFirst_ThenLoaderSearch_ThenToolkitFolders()
    {
        var list = CublasLibrary.Candidates("/opt/a:/opt/b", cudaHome: "/cuda", cudaPath: null);
        Assert.That(list.Take(4), Is.EqualTo(new[] { "/opt/a/libcublas.so.13", "/opt/a/libcublas.so.12", "/opt/a/libcublas.so.11", "/opt/a/libcublas.so" }));
        Assert.That(list[4], Is.EqualTo("/opt/b/libcublas.so.13"));
        Assert.That(list.Skip(8).Take(4), Is.EqualTo(CublasLibrary.SoNames));
        Assert.That(list[12], Is.EqualTo("/cuda/lib64/libcublas.so.13"));
        Assert.That(list[^1], Is.EqualTo("/usr/local/cuda/lib64/libcublas.so"));
    }

    [Test]
    public void LtFor_KeepsFolderAndVersion()
    {
        Assert.That(CublasLibrary.LtFor("/x/lib/libcublas.so.12"), Is.EqualTo("/x/lib/libcublasLt.so.12"));
        Assert.That(CublasLibrary.LtFor("libcublas.so"), Is.EqualTo("libcublasLt.so"));
    }

    [Test]
    public void Load_AFileThatIsNotALibrary_GivesTheOneLineError()
    {
        var folder = Directory.CreateTempSubdirectory("mlrb-cublas-").FullName;
        try
        {
            var fake = Path.Combine(folder, "libcublas.so.12");
            File.WriteAllText(fake, "not an ELF file");
            var ex = Assert.Throws<CublasException>(() => CublasLibrary.Load([fake], p => System.Runtime.InteropServices.NativeLibrary.TryLoad(p, out var h) ? h : 0));
            Assert.That(ex!.Message, Does.StartWith("cuBLAS is not available").And.Not.Contain('\n'));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Bind_ALibraryWithoutCublasExports_NamesTheMissingFunction()
    {
        // libc loads everywhere but exports no cuBLAS function.
        var libc = CublasLibrary.Load(["libc.so.6"], p => System.Runtime.InteropServices.NativeLibrary.TryLoad(p, out var h) ? h : 0);
        var ex = Assert.Throws<CublasException>(() => CublasApi.Bind(libc));
        Assert.That(ex!.Message, Is.EqualTo("libc.so.6 does not export cublasCreate_v2: not a cuBLAS 11, 12 or 13 library."));
    }

    [Test]
    public void DefaultLoad_EitherBindsCublasOrFailsWithTheOneLineError()
    {
        // This machine has no CUDA: the second branch is what runs here; on a CUDA machine the first one.
        try
        {
            var api = CublasApi.Bind(CublasLibrary.Load());
            Assert.That(api.Library.Handle, Is.Not.EqualTo((nint)0));
        }
        catch (CublasException ex)
        {
            Assert.That(ex.Message, Does.StartWith("cuBLAS is not available").And.Not.Contain('\n'));
        }
    }

    [Test]
    public void StatusNames_AreTheHeaderNames()
    {
        Assert.That(CublasStatusNames.Of(7), Is.EqualTo("CUBLAS_STATUS_INVALID_VALUE"));
        Assert.That(CublasStatusNames.Of(13), Is.EqualTo("CUBLAS_STATUS_EXECUTION_FAILED"));
        Assert.That(CublasStatusNames.Of(99), Is.EqualTo("CUBLAS_STATUS_99"));
    }
}
