using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.Workspaces;

/// <summary>The llm_merging Python kit, as written into a workspace, run with the machine's python3.</summary>
public class LlmMergingKitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private string _root = null!;
    private Workspace _workspace = null!;

    [SetUp]
    public async Task SetUp()
    {
        _root = TestPaths.CreateTempDirectory("mlrb-kit");
        _workspace = await new WorkspaceFactory(new WorkspaceOptions { RootDirectory = _root }).CreateAsync(TaskCatalog.Builtin.GetTask("llm_merging"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task EveryPythonFile_ByteCompiles()
    {
        var python = PythonRunner.FindPython3();
        if (python is null)
        {
            Assert.Ignore("python3 is not on PATH");
        }

        var files = _workspace.StarterFiles.Where(f => f.EndsWith(".py", StringComparison.Ordinal)).ToArray();
        Assert.That(files, Has.Length.EqualTo(6));

        var result = await PythonRunner.RunAsync(python!, _workspace.RootPath, Timeout, ["-m", "py_compile", .. files]);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
    }

    [Test]
    public async Task EntryScript_AveragesTwoCheckpoints_AndFindsANewMethodFile()
    {
        var python = await PythonRunner.FindPython3WithAsync("torch");
        if (python is null)
        {
            Assert.Ignore("no python3 on PATH can import torch");
        }

        var a = Checkpoint("expert_a", [1f, 2f, 3f, 4f], [10f, -10f], withTokenizer: true);
        var b = Checkpoint("expert_b", [3f, 6f, 9f, 12f], [0f, 0f], withTokenizer: false);

        var listed = await Kit(python!, "--list");
        Assert.That(listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "average" }));

        var equal = await Kit(python!, "--method", "average", "--models", a, b, "--output", "merged");
        Assert.That(equal.Output, Does.Contain("\"tensors\": 2").And.Contain("\"parameters\": 6"));
        var merged = SafetensorsFile.ReadF32(Path.Combine(_workspace.RootPath, "merged", "model.safetensors"));
        Assert.That(merged["h.0.weight"].Values, Is.EqualTo(new[] { 2f, 4f, 6f, 8f }));
        Assert.That(merged["h.0.weight"].Shape, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(merged["h.0.weight"].DType, Is.EqualTo("F32"));
        Assert.That(merged["ln.bias"].Values, Is.EqualTo(new[] { 5f, -5f }));
        Assert.That(File.ReadAllText(Path.Combine(_workspace.RootPath, "merged", "config.json")), Does.Contain("GPT2LMHeadModel"));
        Assert.That(File.Exists(Path.Combine(_workspace.RootPath, "merged", "tokenizer.json")), Is.True, "the first input's tokenizer is copied");

        var weighted = await Kit(python!, "--method", "average", "--models", a, b, "--weights", "3", "1", "--output", "weighted");
        Assert.That(weighted.ExitCode, Is.Zero);
        var merged31 = SafetensorsFile.ReadF32(Path.Combine(_workspace.RootPath, "weighted", "model.safetensors"));
        Assert.That(merged31["h.0.weight"].Values, Is.EqualTo(new[] { 1.5f, 3f, 4.5f, 6f }));

        // The agent's job: a new file in merging/ registers a method that main.py finds without other changes.
        File.WriteAllText(Path.Combine(_workspace.RootPath, "llm_merging", "merging", "take_last.py"), """
            from .merges import Merges, register


            @register("take_last")
            class TakeLast(Merges):
                def merge(self):
                    self.merged_state = {name: tensor.clone() for name, tensor in self.state_dicts[-1].items()}
                    return self.merged_state
            """);
        var custom = await Kit(python!, "--method", "take_last", "--models", a, b, "--output", "last");
        Assert.That(custom.ExitCode, Is.Zero, custom.Error);
        Assert.That(SafetensorsFile.ReadF32(Path.Combine(_workspace.RootPath, "last", "model.safetensors"))["ln.bias"].Values, Is.EqualTo(new[] { 0f, 0f }));
    }

    [Test]
    public async Task EntryScript_RefusesCheckpointsOfDifferentShapes_WithAClearMessage()
    {
        var python = await PythonRunner.FindPython3WithAsync("torch");
        if (python is null)
        {
            Assert.Ignore("no python3 on PATH can import torch");
        }

        var a = Checkpoint("a", [1f, 2f, 3f, 4f], [1f, 1f], withTokenizer: false);
        var wrong = Path.Combine(_workspace.RootPath, "wrong");
        Directory.CreateDirectory(wrong);
        SafetensorsFile.WriteConfig(wrong, "GPT2LMHeadModel");
        SafetensorsFile.WriteF32(Path.Combine(wrong, "model.safetensors"), new Dictionary<string, (int[], float[])>
        {
            ["h.0.weight"] = ([4], [1f, 2f, 3f, 4f]),
            ["ln.bias"] = ([2], [1f, 1f]),
        });

        var result = await PythonRunner.RunAsync(python!, _workspace.RootPath, Timeout, "llm_merging/main.py", "--method", "average", "--models", a, wrong, "--output", "out");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Error, Does.Contain("h.0.weight has shape (4,)"));
        Assert.That(Directory.Exists(Path.Combine(_workspace.RootPath, "out")), Is.False);
    }

    private async Task<PythonRunner.Result> Kit(string python, params string[] arguments)
    {
        var result = await PythonRunner.RunAsync(python, _workspace.RootPath, Timeout, ["llm_merging/main.py", .. arguments]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return result;
    }

    private string Checkpoint(string name, float[] weight, float[] bias, bool withTokenizer)
    {
        var folder = Path.Combine(_workspace.RootPath, name);
        Directory.CreateDirectory(folder);
        SafetensorsFile.WriteConfig(folder, "GPT2LMHeadModel");
        SafetensorsFile.WriteF32(Path.Combine(folder, "model.safetensors"), new Dictionary<string, (int[], float[])>
        {
            ["h.0.weight"] = ([2, 2], weight),
            ["ln.bias"] = ([2], bias),
        });
        if (withTokenizer)
        {
            File.WriteAllText(Path.Combine(folder, "tokenizer.json"), "{}");
        }

        return folder;
    }
}
