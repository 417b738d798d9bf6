using System.CommandLine;
using Mlrb.Cli.Commands.Sandbox;
using Mlrb.Tasks;
using Mlrb.Tools;

namespace Mlrb.Cli.Tests;

public class LimitFlagsTests
{
    [TestCase("512M", 512L << 20)]
    [TestCase("16G", 16L << 30)]
    [TestCase("1.5GiB", 3L << 29)]
    [TestCase("4096", 4096L)]
    [TestCase("2t", 2L << 40)]
    public void Sizes_Parse(string text, long expected)
    {
        Assert.That(LimitOptions.TryParseSize(text, out var bytes), Is.True);
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("-1G")]
    [TestCase("12X")]
    [TestCase("99999999999T")]
    public void BadSizes_AreRefused(string text) => Assert.That(LimitOptions.TryParseSize(text, out _), Is.False);

    private static (string? Error, ProcessLimits Limits) Apply(params string[] args)
    {
        var options = new LimitOptions();
        var command = new RootCommand();
        options.AddTo(command);
        var limits = new ProcessLimits();
        return (options.Apply(command.Parse(args), limits), limits);
    }

    [Test]
    public void Flags_SetEveryLimit()
    {
        var (error, l) = Apply("--max-processes", "100", "--memory", "8G", "--cpus", "0-1", "--max-file-size", "1G", "--max-workspace", "20G", "--gpus", "0,1");
        Assert.That(error, Is.Null);
        Assert.That((l.MaxProcesses, l.MemoryBytes, l.CpuSet, l.MaxFileSizeBytes, l.MaxWorkspaceBytes, l.Gpus), Is.EqualTo((100, 8L << 30, "0-1", 1L << 30, 20L << 30, "0,1")));
    }

    [TestCase("--memory", "lots", "--memory")]
    [TestCase("--memory", "1M", "at least")]
    [TestCase("--cpus", "a-b", "--cpus")]
    [TestCase("--gpus", "first", "--gpus")]
    [TestCase("--max-processes", "2", "at least 8")]
    public void BadFlags_GiveOneLineErrors(string flag, string value, string expected)
    {
        var (error, _) = Apply(flag, value);
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public void TaskBudget_SetsMemoryDiskAndGpus_AndFlagsOverrideIt()
    {
        var compute = new ComputeBudget { GpuKind = "none", GpuCount = 0, GpuMemoryGb = 0, RamGb = 8, DiskGb = 50 };
        var fromTask = TaskLimits.Resolve(compute, null);
        Assert.That((fromTask.MemoryBytes, fromTask.MaxWorkspaceBytes, fromTask.Gpus, fromTask.MaxProcesses), Is.EqualTo((8L << 30, 50L << 30, "none", ProcessLimits.DefaultMaxProcesses)));
        var flags = new ProcessLimits { MaxProcesses = null, Gpus = "", MemoryBytes = 1L << 30 };
        var both = TaskLimits.Resolve(compute, flags);
        Assert.That((both.MemoryBytes, both.MaxWorkspaceBytes, both.Gpus), Is.EqualTo((1L << 30, 50L << 30, "none")));
        Assert.That(TaskLimits.Describe(both), Does.Contain("memory 1 GiB").And.Contain("workspace 50 GiB"));
    }

    [Test]
    public async Task McpHelp_NamesTheDefaultSandboxMode_AndTheLimitFlags()
    {
        var output = new StringWriter();
        var config = new InvocationConfiguration { Output = output };
        await CliApplication.BuildRoot().Parse(["mcp", "--help"]).InvokeAsync(config);
        var help = output.ToString();
        Assert.That(help, Does.Contain("auto (the default)"));
        Assert.That(help, Does.Contain("--max-processes").And.Contain("--memory").And.Contain("--gpus"));
    }
}
