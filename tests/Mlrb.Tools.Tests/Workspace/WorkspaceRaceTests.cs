using System.Diagnostics;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Testing;
using Mlrb.Tools.Workspace;

namespace Mlrb.Tools.Tests.Workspace;

/// <summary>
/// The file tools against an agent that races them: a process swapping a workspace folder with a symbolic link to a
/// folder outside (renameat2 RENAME_EXCHANGE) while the tools write into it, and hard links to files outside.
/// </summary>
[NonParallelizable]
public class WorkspaceRaceTests
{
    private const string Swapper = """
        import ctypes, os, sys, time
        libc = ctypes.CDLL(None, use_errno=True)
        a, b = sys.argv[1].encode(), sys.argv[2].encode()
        open(sys.argv[3], "w").close()
        n = 0
        while os.path.exists(sys.argv[3]):
            if libc.renameat2(-100, a, -100, b, 2) != 0:
                sys.exit("renameat2 failed: errno %d" % ctypes.get_errno())
            n += 1
            time.sleep(0.0002)
        print(n)
        """;

    private string _outside = null!;

    [SetUp]
    public void SetUp() => _outside = TestPaths.CreateTempDirectory("mlrb-race-outside");

    [TearDown]
    public void TearDown()
    {
        WorkspaceFiles.ForceComponentWalk = false;
        Directory.Delete(_outside, true);
    }

    private static string Python()
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : Processes.ProcessTableProbe.OnPath("python3");
        if (python is null)
        {
            Assert.Ignore("python3 is needed to run the renameat2 swapper");
        }

        return python!;
    }

    [TestCase(false, "write_code")]
    [TestCase(true, "write_code")]
    [TestCase(false, "scratchpad")]
    [TestCase(false, "replace_code")]
    public async Task RenameExchangeRace_NoWriteLandsOutside(bool componentWalk, string tool)
    {
        if (!LinuxFiles.Supported)
        {
            Assert.Ignore("race-free file access is implemented for Linux");
        }

        WorkspaceFiles.ForceComponentWalk = componentWalk;
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        var d = h.PathOf("d");
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(d, "seed.py"), "x = 1\n");
        File.WriteAllText(Path.Combine(_outside, "seed.py"), "x = 1\n");
        File.CreateSymbolicLink(h.PathOf("l"), _outside);
        var flag = h.PathOf("swapping");
        var info = new ProcessStartInfo(Python()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", Swapper, d, h.PathOf("l"), flag })
        {
            info.ArgumentList.Add(a);
        }

        using var swapper = Process.Start(info)!;
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(flag) && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }

        var ok = 0;
        var refused = 0;
        const int Calls = 300;
        for (var i = 0; i < 5000 && (i < Calls || ok < 5); i++)
        {
            var r = tool switch
            {
                "write_code" => await h.InvokeAsync("write_code", new { path = $"d/f{i}.py", code = $"print({i})\n" }),
                "scratchpad" => await h.InvokeAsync("scratchpad", new { path = "d/notes.txt", action = "write", note = $"note {i}" }),
                _ => await h.InvokeAsync("replace_code", new { path = "d/seed.py", old_code = "x = ", new_code = "x = 1 + " }),
            };
            if (r.Status == ToolStatus.Success)
            {
                ok++;
            }
            else
            {
                refused++;
            }
        }

        File.Delete(flag);
        Assert.That(swapper.WaitForExit(20_000), Is.True);
        var swaps = swapper.StandardOutput.ReadToEnd().Trim();
        Assert.That(swapper.ExitCode, Is.EqualTo(0), swapper.StandardError.ReadToEnd());
        TestContext.Out.WriteLine($"{tool} (component walk {componentWalk}): {ok} written, {refused} refused, {swaps} swaps");

        var landedOutside = Directory.GetFiles(_outside).Select(Path.GetFileName).Where(n => n != "seed.py").ToList();
        Assert.That(landedOutside, Is.Empty, "nothing may be created outside the workspace");
        Assert.That(File.ReadAllText(Path.Combine(_outside, "seed.py")), Is.EqualTo("x = 1\n"), "nothing outside may be changed");
        Assert.That(ok, Is.GreaterThanOrEqualTo(5), "some calls got through between swaps (the race was exercised)");
        Assert.That(long.Parse(swaps, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "the swapper kept swapping during the calls");
    }

    [TestCase("write_code")]
    [TestCase("replace_code")]
    [TestCase("insert_code")]
    [TestCase("delete_code")]
    [TestCase("scratchpad")]
    public async Task ExistingHardLink_ToAFileOutside_IsNotWrittenThrough(string tool)
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        var secret = Path.Combine(_outside, "secret.py");
        File.WriteAllText(secret, "token = 'abc'\n");
        var ln = Process.Start("ln", [secret, h.PathOf("linked.py")])!;
        ln.WaitForExit();
        if (ln.ExitCode != 0)
        {
            Assert.Ignore("a hard link across these folders is not possible here (different file systems)");
        }

        var r = tool switch
        {
            "write_code" => await h.InvokeAsync(tool, new { path = "linked.py", code = "pwned\n" }),
            "replace_code" => await h.InvokeAsync(tool, new { path = "linked.py", old_code = "abc", new_code = "pwned" }),
            "insert_code" => await h.InvokeAsync(tool, new { path = "linked.py", target = "token", new_code = " pwned" }),
            "delete_code" => await h.InvokeAsync(tool, new { path = "linked.py", target = "'abc'" }),
            _ => await h.InvokeAsync(tool, new { path = "linked.py", action = "write", note = "pwned" }),
        };
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(File.ReadAllText(secret), Is.EqualTo("token = 'abc'\n"), "the file outside is unchanged");
        Assert.That(File.ReadAllText(h.PathOf("linked.py")), Is.Not.EqualTo("token = 'abc'\n"), "the workspace's name got the new content");
    }

    [Test]
    public async Task LogFolderSwappedForALinkOutside_RefusesTheCall_AndWritesNothingThere()
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        Directory.CreateDirectory(h.PathOf(".mlrb"));
        File.CreateSymbolicLink(h.PathOf(".mlrb/logs"), _outside);
        var r = await h.InvokeAsync("run_bash", new { script = "echo hi" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(Directory.GetFileSystemEntries(_outside), Is.Empty);
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task WriteKeepsTheExistingFilesPermissions()
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        await h.InvokeAsync("write_code", new { path = "run.sh", code = "echo 1\n" });
        File.SetUnixFileMode(h.PathOf("run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var r = await h.InvokeAsync("replace_code", new { path = "run.sh", old_code = "1", new_code = "2" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(File.GetUnixFileMode(h.PathOf("run.sh")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(Directory.GetFiles(h.Workspace).Select(Path.GetFileName), Is.EquivalentTo(new[] { "run.sh" }), "no temporary file is left");
    }
}
