using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Mlrb.Testing;
using Mlrb.Tools;
using Moq;

namespace Mlrb.SemanticKernel.Tests;

/// <summary>Mlrb's tools as a KernelPlugin: the same tools, guard, validation and caps, run by SK's automatic function calling.</summary>
public class MlrbToolsPluginTests
{
    private string _workspace = null!;

    [SetUp]
    public void SetUp() => _workspace = TestPaths.CreateTempDirectory("mlrb-sk");

    [TearDown]
    public void TearDown() => Directory.Delete(_workspace, recursive: true);

    [Test]
    public void Plugin_HoldsTheSeventeenTools_WithTheirSchemas()
    {
        var kernel = new Kernel();

        var plugin = kernel.Plugins.AddMlrbTools(_workspace);

        Assert.That(plugin.Name, Is.EqualTo("mlrb"));
        Assert.That(kernel.Plugins, Has.Count.EqualTo(1));
        Assert.That(plugin.FunctionCount, Is.EqualTo(17));
        Assert.That(plugin.Select(f => f.Name), Does.Contain("run_python").And.Contain("write_code").And.Contain("return_fn"));
        var write = plugin["write_code"].Metadata;
        Assert.That(write.Parameters.Where(p => p.IsRequired).Select(p => p.Name), Is.SupersetOf(new[] { "path", "code" }));
    }

    [Test]
    public async Task KernelInvoke_WritesInsideTheWorkspace_AndRefusesAPathThatEscapesIt()
    {
        var kernel = new Kernel();
        var plugin = kernel.Plugins.AddMlrbTools(_workspace);

        var ok = await kernel.InvokeAsync(plugin["write_code"], new KernelArguments { ["path"] = "src/a.py", ["code"] = "print(1)\n" });
        var escape = await kernel.InvokeAsync(plugin["write_code"], new KernelArguments { ["path"] = "../escaped.py", ["code"] = "x" });

        Assert.That(File.ReadAllText(Path.Combine(_workspace, "src", "a.py")), Is.EqualTo("print(1)\n"));
        Assert.That(ok.ToString(), Does.Contain("src/a.py"));
        Assert.That(escape.ToString(), Does.Contain("failure").IgnoreCase.Or.Contain("outside").IgnoreCase, escape.ToString());
        Assert.That(Path.Combine(Path.GetDirectoryName(_workspace)!, "escaped.py"), Does.Not.Exist);
    }

    [Test]
    public async Task KernelInvoke_MissingRequiredArgument_IsRefusedByTheToolsSchemaValidation()
    {
        var kernel = new Kernel();
        var plugin = kernel.Plugins.AddMlrbTools(_workspace);

        var result = await kernel.InvokeAsync(plugin["write_code"], new KernelArguments { ["path"] = "a.py" });

        Assert.That(result.ToString(), Does.Contain("code"), result.ToString());
        Assert.That(Path.Combine(_workspace, "a.py"), Does.Not.Exist);
    }

    [Test]
    public async Task KernelInvoke_LongOutput_IsCappedForTheModel()
    {
        var kernel = new Kernel();
        var plugin = kernel.Plugins.AddMlrbTools(_workspace, o => (o.MaxOutputChars, o.Sandbox) = (500, SandboxMode.Auto));

        var result = (await kernel.InvokeAsync(plugin["run_bash"], new KernelArguments { ["script"] = "for i in $(seq 1 5000); do echo line-$i; done" })).ToString();

        Assert.That(result.Length, Is.LessThan(1_200), "capped near MaxOutputChars");
        Assert.That(result, Does.Contain("line-5000"), "the tail is kept");
    }

    [Test]
    public void AddMlrbTools_InvalidOptionsOrMissingWorkspace_FailAtOnce()
    {
        var kernel = new Kernel();

        Assert.Throws<OptionsValidationException>(() => kernel.Plugins.AddMlrbTools(_workspace, o => o.MaxOutputChars = 1));
        Assert.Throws<DirectoryNotFoundException>(() => kernel.Plugins.AddMlrbTools(Path.Combine(_workspace, "missing")));
    }

    [Test]
    public async Task AutomaticFunctionCalling_RunsTheMlrbTool_AndSendsItsResultBack()
    {
        var requests = new List<(List<ChatMessage> Messages, ChatOptions? Options)>();
        var client = new Mock<IChatClient>();
        // SK asks a chat client for its metadata before using it.
        client.Setup(c => c.GetService(typeof(ChatClientMetadata), null)).Returns(new ChatClientMetadata("mock", null, "mock-model"));
        client.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken _) =>
            {
                requests.Add(([.. messages], options));
                if (requests.Count == 1)
                {
                    var tool = options!.Tools!.Single(t => t.Name.EndsWith("write_code", StringComparison.Ordinal)).Name;
                    return Scripts.Call(tool, new { path = "hello.py", code = "print('hi')\n" });
                }

                return Scripts.Text("wrote hello.py");
            });
        var builder = Kernel.CreateBuilder();
        // SK's automatic function calling on an IChatClient is its function-invoking middleware.
        builder.Services.AddSingleton(client.Object.AsBuilder().UseKernelFunctionInvocation().Build());
        var kernel = builder.Build();
        kernel.Plugins.AddMlrbTools(_workspace);

        var answer = await kernel.InvokePromptAsync("Write hello.py", new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        Assert.That(answer.ToString(), Is.EqualTo("wrote hello.py"));
        Assert.That(File.ReadAllText(Path.Combine(_workspace, "hello.py")), Is.EqualTo("print('hi')\n"));
        Assert.That(requests, Has.Count.EqualTo(2));
        Assert.That(requests[0].Options!.Tools!, Has.Count.EqualTo(17), "the model is offered every Mlrb tool");
        var result = requests[1].Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionResultContent>().Single();
        Assert.That(JsonSerializer.Serialize(result.Result), Does.Contain("hello.py"));
    }
}
