using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Hostile;

/// <summary>Small hostile files that used to crash, hang or blow up: each is now a one-line error and a non-zero exit.</summary>
public class InputBoundsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-bounds");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var run = HostileCli.RunAsync(args);
        var finished = await Task.WhenAny(run, Task.Delay(Deadline));
        Assert.That(finished, Is.SameAs(run), $"mlrb {string.Join(' ', args.Take(3))} did not finish within {Deadline} (hang)");
        return await run;
    }

    private static string TaskYaml(string timeLimit = "8h") =>
        File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "tasks.md"))
            .Split("```yaml\n")[1].Split("```")[0].Replace("time_limit: 8h", "time_limit: " + timeLimit, StringComparison.Ordinal);

    private string TasksDir(string file, string content)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "tasks")).FullName;
        File.WriteAllText(Path.Combine(dir, file), content);
        return dir;
    }

    [Test]
    public void TheDocumentedTaskFile_Loads() // the fixture the next tests break must itself be valid
        => Assert.That(Mlrb.Tasks.TaskFile.Parse(TaskYaml(), "docs", Mlrb.Tasks.TaskFileFormat.Yaml).Name, Is.EqualTo("tiny_lm"));

    [Test]
    public async Task TaskYaml_20000NestedBrackets_IsADepthError_NotAStackOverflow()
    {
        var dir = TasksDir("deep.yaml", "name: deep\nrules: " + new string('[', 20_000) + "\n");

        HostileCli.AssertOneLineError(await RunAsync("tasks", "list", "--tasks-dir", dir), "nested more than 64 levels");
    }

    [Test]
    public async Task TaskJson_20000NestedBrackets_IsADepthError()
    {
        var dir = TasksDir("deep.json", "{\"rules\": " + new string('[', 20_000) + "}");

        HostileCli.AssertOneLineError(await RunAsync("tasks", "list", "--tasks-dir", dir), "depth");
    }

    [Test]
    public async Task TaskFile_OverTheSizeLimit_IsRefused()
    {
        var dir = TasksDir("big.yaml", TaskYaml() + "# " + new string('x', 2 << 20) + "\n");

        HostileCli.AssertOneLineError(await RunAsync("tasks", "list", "--tasks-dir", dir), "limit for a task file");
    }

    [Test]
    public async Task TaskFile_LinkToDevZero_IsRefused()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "tasks")).FullName;
        File.CreateSymbolicLink(Path.Combine(dir, "zero.yaml"), "/dev/zero");

        HostileCli.AssertOneLineError(await RunAsync("tasks", "list", "--tasks-dir", dir), "not a regular file");
    }

    [TestCase("99999999999999999999h")]
    [TestCase("9999999999d")]
    [TestCase("99999999:00:00")]
    public async Task TaskYaml_HugeTimeLimit_IsAFieldError(string limit)
    {
        var dir = TasksDir("huge.yaml", TaskYaml(limit));

        HostileCli.AssertOneLineError(await RunAsync("tasks", "list", "--tasks-dir", dir), "time_limit");
    }

    [Test]
    public async Task RunTimeLimitOption_Huge_IsAUsageError()
    {
        // mlrb run writes its usage errors to the console, so it runs as a real process.
        using var cli = new Run.CliProcess("run", "mini_baby_lm", "--provider", "replay", "--transcript", "none.jsonl", "--time-limit", "99999999999999999999h", "--workdir", _dir);
        var code = await cli.WaitAsync(Deadline);

        HostileCli.AssertOneLineError((code, cli.Stdout, cli.Stderr), "--time-limit");
    }

    [Test]
    public async Task Config_MaxPositionEmbeddings_Int32Max_IsAConfigError()
    {
        var model = HostileCli.CopyModel("tiny-opt", _dir);
        EditJson(Path.Combine(model, "config.json"), c => c["max_position_embeddings"] = int.MaxValue);

        HostileCli.AssertOneLineError(await RunAsync("score", "--model", model, "--context-tokens", "1", "--continuation-tokens", "2"), "max_position_embeddings");
    }

    [Test]
    public async Task Config_LinkToDevZero_IsRefused_WithoutHanging()
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        File.Delete(Path.Combine(model, "config.json"));
        File.CreateSymbolicLink(Path.Combine(model, "config.json"), "/dev/zero");

        HostileCli.AssertOneLineError(await RunAsync("score", "--model", model, "--context-tokens", "1", "--continuation-tokens", "2"), "not a regular file");
        HostileCli.AssertOneLineError(await RunAsync("stats", "--model", model), "not a regular file");
        HostileCli.AssertOneLineError(
            await RunAsync("eval", "--task", "baby_lm", "--model", model, "--data", Path.Combine(TestPaths.RepositoryRoot, "samples", "data"), "--output", Path.Combine(_dir, "out")),
            "not a regular file");
    }

    [Test]
    public async Task Config_ThatIsANamedPipe_IsRefused_WithoutBlocking()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("named pipes are made with mkfifo on Linux");
        }

        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        File.Delete(Path.Combine(model, "config.json"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(model, "config.json")]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.That(mkfifo.ExitCode, Is.Zero, "mkfifo");
        }

        // Opening a pipe with no writer blocks forever: the refusal must come before any open.
        var score = Task.Run(() => RunAsync("score", "--model", model, "--context-tokens", "1", "--continuation-tokens", "2"));
        Assert.That(await Task.WhenAny(score, Task.Delay(TimeSpan.FromSeconds(60))), Is.SameAs(score), "score blocked on the pipe");
        HostileCli.AssertOneLineError(await score, "not a regular file");
    }

    [Test]
    public async Task TokenizerJson_LinkToDevUrandom_IsRefused()
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        File.Delete(Path.Combine(model, "tokenizer.json"));
        File.CreateSymbolicLink(Path.Combine(model, "tokenizer.json"), "/dev/urandom");

        HostileCli.AssertOneLineError(await RunAsync("tokenize", "--model", model, "hello"), "not a regular file");
    }

    [Test]
    public async Task TokenizerJson_Over2GB_IsRefusedWithoutReading()
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        using (var sparse = File.OpenWrite(Path.Combine(model, "tokenizer.json")))
        {
            sparse.SetLength(2_200_000_000); // sparse: no disk used
        }

        HostileCli.AssertOneLineError(await RunAsync("tokenize", "--model", model, "hello"), "byte limit");
    }

    [Test]
    public async Task TokenizerJson_EmptyVocabulary_IsRefused()
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        EditJson(Path.Combine(model, "tokenizer.json"), t =>
        {
            t["model"]!["vocab"] = new JsonObject();
            t["model"]!["merges"] = new JsonArray();
            t["added_tokens"] = new JsonArray();
            t["post_processor"] = null;
        });

        HostileCli.AssertOneLineError(await RunAsync("tokenize", "--model", model, "hello"), "vocabulary is empty");
    }

    [Test]
    public async Task Safetensors_OverlappingDataRanges_AreRefused()
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        SafetensorsEditor.EditHeader(Path.Combine(model, "model.safetensors"), h =>
        {
            // wpe takes wte's first bytes: both ranges valid alone, overlapping together.
            var wpe = h["transformer.wpe.weight"]!["data_offsets"]!.AsArray();
            var size = wpe[1]!.GetValue<long>() - wpe[0]!.GetValue<long>();
            h["transformer.wpe.weight"]!["data_offsets"] = new JsonArray(0, size);
        });

        HostileCli.AssertOneLineError(await RunAsync("score", "--model", model, "--context-tokens", "1", "--continuation-tokens", "2"), "overlaps");
        HostileCli.AssertOneLineError(await RunAsync("stats", "--model", model, "--no-forward"), "overlaps");
    }

    [Test]
    public async Task Safetensors_ShapeOverflowing64Bits_IsRefused()
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        SafetensorsEditor.EditHeader(Path.Combine(model, "model.safetensors"), h =>
            h["transformer.h.0.ln_1.weight"]!["shape"] = new JsonArray(int.MaxValue, int.MaxValue, int.MaxValue, 8));

        HostileCli.AssertOneLineError(await RunAsync("stats", "--model", model, "--no-forward"), "64 bits");
    }

    [TestCase("../outside.safetensors", "not a file name inside the model folder")]
    [TestCase("/etc/passwd", "not a file name inside the model folder")]
    [TestCase("link.safetensors", "leads outside the model folder")]
    public async Task ShardIndex_PathOutsideTheModelFolder_IsRefused_WithoutPrintingTheFile(string shard, string expected)
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        File.Move(Path.Combine(model, "model.safetensors"), Path.Combine(_dir, "outside.safetensors"));
        File.CreateSymbolicLink(Path.Combine(model, "link.safetensors"), "/etc/passwd");
        var index = new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = new JsonObject { ["transformer.wte.weight"] = shard } };
        File.WriteAllText(Path.Combine(model, "model.safetensors.index.json"), index.ToJsonString());

        var result = await RunAsync("score", "--model", model, "--context-tokens", "1", "--continuation-tokens", "2");

        HostileCli.AssertOneLineError(result, expected);
        Assert.That(result.Err, Does.Not.Contain("root:"), "never prints the file's contents");
    }

    [Test]
    public async Task Safetensors_ThatIsReallyATextFile_ErrorQuotesNoContent()
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        var secret = "{\"SECRET-CONTENT\": 1, zz}";
        var bytes = new byte[8 + secret.Length];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)secret.Length);
        Encoding.ASCII.GetBytes(secret).CopyTo(bytes, 8);
        File.WriteAllBytes(Path.Combine(model, "model.safetensors"), bytes);

        var result = await RunAsync("score", "--model", model, "--context-tokens", "1", "--continuation-tokens", "2");

        HostileCli.AssertOneLineError(result, "not valid JSON");
        Assert.That(result.Err, Does.Not.Contain("SECRET").And.Not.Contain("zz"));
    }

    [Test]
    public async Task DataVerify_SelfSymlink_IsABadFile_AndTheOtherFilesAreStillRead()
    {
        var blimp = Directory.CreateDirectory(Path.Combine(_dir, "data", "blimp")).FullName;
        var loop = Path.Combine(blimp, "anaphor_gender_agreement.jsonl");
        File.CreateSymbolicLink(loop, loop);
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "samples", "data", "blimp", "passive_1.jsonl"), Path.Combine(blimp, "passive_1.jsonl"));

        var (code, output, error) = await RunAsync("data", "verify", "--dir", Path.Combine(_dir, "data"), "--json");

        Assert.That(error, Does.Not.Contain("   at "));
        Assert.That(code, Is.EqualTo(2), "bad files make verify exit 2");
        var report = JsonNode.Parse(output)!.AsArray().Single(b => b!["benchmark"]!.GetValue<string>() == "blimp")!;
        Assert.That(report["issues"]!.AsArray().Select(i => i!.GetValue<string>()), Has.Some.Contains("anaphor_gender_agreement.jsonl:0: cannot be read"));
        Assert.That(report["documents"]!.GetValue<int>(), Is.GreaterThan(0), "passive_1 is still read");
    }

    private static void EditJson(string path, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}
