using System.IO.Compression;
using System.Net;
using System.Text;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Data;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Data;

public class DataInstallerTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-download");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static async Task WriteBytes(HttpListenerResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    [Test]
    public async Task Download_ResumesFromThePartFile_WithARangeRequest()
    {
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 500).Select(i => $"line {i}\n")));
        await using var server = new LoopbackHttpServer(async (req, res) =>
        {
            if (req.Headers.TryGetValue("Range", out var range))
            {
                var from = int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
                res.AddHeader("Content-Range", $"bytes {from}-{content.Length - 1}/{content.Length}");
                await WriteBytes(res, 206, content[from..]);
            }
            else
            {
                await WriteBytes(res, 200, content);
            }
        });
        var destination = Path.Combine(_dir, "file.txt");
        await File.WriteAllBytesAsync(destination + ".part", content[..1000]);
        using var http = new HttpClient();
        var sha = await new DataDownloader(http).DownloadAsync(new Uri(server.BaseAddress, "file.txt"), destination, null, CancellationToken.None);

        Assert.That(await File.ReadAllBytesAsync(destination), Is.EqualTo(content));
        Assert.That(server.Requests.Single().Headers["Range"], Is.EqualTo("bytes=1000-"));
        Assert.That(sha, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))));
        Assert.That(File.Exists(destination + ".part"), Is.False);
    }

    [Test]
    public async Task Download_ShaMismatch_IsAnError_AndDropsThePartFile()
    {
        await using var server = new LoopbackHttpServer((_, res) => WriteBytes(res, 200, "tampered"u8.ToArray()));
        using var http = new HttpClient();
        var destination = Path.Combine(_dir, "f.bin");
        var ex = await Assert.ThrowsAsync<BenchmarkDataException>(() => new DataDownloader(http).DownloadAsync(new Uri(server.BaseAddress, "f.bin"), destination, new string('0', 64), CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("SHA-256 mismatch"));
        Assert.That(File.Exists(destination), Is.False);
        Assert.That(File.Exists(destination + ".part"), Is.False);
    }

    [Test]
    public async Task Download_HttpError_NamesTheUrl()
    {
        await using var server = new LoopbackHttpServer((_, res) => LoopbackHttpServer.WriteAsync(res, 404, "nope", "text/plain"));
        using var http = new HttpClient();
        var ex = await Assert.ThrowsAsync<BenchmarkDataException>(() => new DataDownloader(http).DownloadAsync(new Uri(server.BaseAddress, "x.zip"), Path.Combine(_dir, "x.zip"), null, CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("x.zip").And.Contain("404"));
    }

    [Test]
    public async Task SuperGlue_FromAMirror_UnpacksIntoTheLayout_AndRecordsHashes()
    {
        await using var server = new LoopbackHttpServer(async (req, res) =>
        {
            // superglue/<Task>.zip holding <Task>/val.jsonl, as the release zips do.
            var task = Path.GetFileNameWithoutExtension(req.Url.AbsolutePath);
            using var ms = new MemoryStream();
            using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            {
                using var w = new StreamWriter(zip.CreateEntry($"{task}/val.jsonl").Open());
                await w.WriteAsync("{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"entailment\", \"idx\": 0}\n");
            }

            await WriteBytes(res, 200, ms.ToArray());
        });
        using var http = new HttpClient();
        var lines = new List<string>();
        var fetched = await DataInstaller.InstallAsync(BenchmarkKind.SuperGlue, _dir, http, server.BaseAddress, lines.Add, CancellationToken.None);

        Assert.That(fetched.Keys, Has.Count.EqualTo(8));
        Assert.That(server.Requests.Select(r => r.Url.AbsolutePath), Does.Contain("/superglue/ReCoRD.zip"));
        Assert.That(File.Exists(Path.Combine(_dir, "superglue", "CB", "val.jsonl")), Is.True);
        Assert.That(SuperGlueFiles.Validation(_dir, "cb"), Does.EndWith(Path.Combine("CB", "val.jsonl")));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "downloads.json")), Does.Contain("superglue/CB.zip"));
        Assert.That(lines, Has.Count.EqualTo(8));
    }
}
