using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools.Tests.Core;

public class ToolAIFunctionTests
{
    private ToolHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new ToolHarness(o => o.Sandbox = SandboxMode.None);

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public void Functions_KeepTheToolsNamesDescriptionsAndSchemas()
    {
        var functions = _h.Factory.CreateAIFunctions(_h.Context);
        Assert.That(functions.Select(f => f.Name), Is.EqualTo(_h.Tools.Select(t => t.Name)));
        var write = functions.Single(f => f.Name == "write_code");
        Assert.That(write.Description, Is.EqualTo(_h["write_code"].Description));
        Assert.That(write.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { "path", "code" }));
        Assert.That(write.GetService<ITool>()!.Name, Is.EqualTo("write_code"));
        Assert.That(_h["write_code"].AsAIFunction().GetService<ITool>(), Is.SameAs(_h["write_code"]));
    }

    [Test]
    public async Task Invoke_WithJsonElementArguments_ReturnsTheModelTextAsAString()
    {
        var write = _h["write_code"].AsAIFunction();
        var args = new AIFunctionArguments
        {
            ["path"] = JsonDocument.Parse("\"a.py\"").RootElement,
            ["code"] = JsonDocument.Parse("\"print(1)\\n\"").RootElement,
        };
        var result = await write.InvokeAsync(args);
        Assert.That(result, Is.TypeOf<string>());
        Assert.That((string)result!, Does.StartWith("write_code: success\n"));
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("print(1)\n"));
    }

    [Test]
    public async Task Invoke_WithClrArguments_Works()
    {
        var write = _h["write_code"].AsAIFunction();
        var result = await write.InvokeAsync(new AIFunctionArguments { ["path"] = "b.py", ["code"] = "x = 1\n" });
        Assert.That((string)result!, Does.Contain("success"));
        Assert.That(File.Exists(_h.PathOf("b.py")), Is.True);
    }

    [Test]
    public async Task Invoke_WithBadArguments_ReturnsTheFailureText_NeverThrows()
    {
        var write = _h["write_code"].AsAIFunction();
        object? result = null;
        await Assert.ThatAsync(async () => result = await write.InvokeAsync(new AIFunctionArguments { ["path"] = 3 }), Throws.Nothing);
        Assert.That((string)result!, Does.StartWith("write_code: failure").And.Contain("'path' must be a string").And.Contain("missing required argument 'code'"));
    }

    [Test]
    public async Task ReturnFn_Success_ReturnsTheTypedSubmission()
    {
        File.WriteAllText(_h.PathOf("model.bin"), "m");
        var fn = _h["return_fn"].AsAIFunction();
        var result = await fn.InvokeAsync(new AIFunctionArguments { ["submission"] = "{\"acc\": 0.9}", ["model_path"] = "model.bin" });
        Assert.That(result, Is.TypeOf<Submission>());
        Assert.That(((Submission)result!).Metrics["acc"], Is.EqualTo("0.9"));
    }

    [Test]
    public async Task ReturnFn_Failure_ReturnsText()
    {
        var fn = _h["return_fn"].AsAIFunction();
        var result = await fn.InvokeAsync(new AIFunctionArguments { ["submission"] = "x", ["model_path"] = "missing.bin" });
        Assert.That(result, Is.TypeOf<string>());
        Assert.That((string)result!, Does.Contain("does not exist"));
    }

    [Test]
    public async Task OutcomeSource_ReportsTheTypedStatus_AlongsideTheSameText()
    {
        File.WriteAllText(_h.PathOf("model.bin"), "m");
        var source = _h["return_fn"].AsAIFunction().GetService<IToolOutcomeSource>();
        Assert.That(source, Is.Not.Null, "Mlrb functions expose their typed outcome");

        var ok = await source!.InvokeForOutcomeAsync(JsonDocument.Parse("""{"submission":"{\"acc\": 0.9}","model_path":"model.bin"}""").RootElement);
        var bad = await source.InvokeForOutcomeAsync(JsonDocument.Parse("""{"submission":"x","model_path":"missing.bin"}""").RootElement);

        Assert.That((ok.Status, ok.Submission?.Metrics["acc"]), Is.EqualTo((ToolStatus.Success, "0.9")));
        Assert.That((bad.Status, bad.Submission), Is.EqualTo((ToolStatus.Failure, (Submission?)null)));
        Assert.That(bad.Text, Does.StartWith("return_fn: failure").And.Contain("does not exist"));
    }

    [Test]
    public async Task MaxModelTextChars_CapsTheTextTheModelGets_OnEveryPath()
    {
        using var h = new ToolHarness(o =>
        {
            o.Sandbox = SandboxMode.None;
            o.MaxModelTextChars = 500;
        });
        var script = new { script = "head -c 3000 /dev/zero | tr '\\0' 'x'; echo; echo LAST" };

        var result = await h.InvokeAsync("run_bash", script);
        Assert.That(result.IsSuccess, Is.True, result.ToModelText(10_000));
        Assert.That(result.Stdout.Length, Is.GreaterThan(3000), "the output cap (MaxOutputChars) is not what cuts here");
        Assert.That(result.ToModelText(), Has.Length.LessThanOrEqualTo(500).And.EndWith("LAST\n"));
        Assert.That(result.ToModelText(10_000), Has.Length.GreaterThan(3000), "an explicit limit still wins");

        var function = h["run_bash"].AsAIFunction();
        var text = (string)(await function.InvokeAsync(new AIFunctionArguments { ["script"] = script.script }))!;
        Assert.That(text, Has.Length.LessThanOrEqualTo(500).And.StartWith("run_bash: success"));
        var outcome = await function.GetService<IToolOutcomeSource>()!.InvokeForOutcomeAsync(JsonSerializer.SerializeToElement(script));
        Assert.That(outcome.Text, Has.Length.LessThanOrEqualTo(500));
    }
}
