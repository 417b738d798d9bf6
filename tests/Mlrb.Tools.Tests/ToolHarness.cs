using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mlrb.Testing;

namespace Mlrb.Tools.Tests;

/// <summary>A fresh workspace and the real tool set bound to it, built through <c>AddMlrbTools</c>.</summary>
public sealed class ToolHarness : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly Dictionary<string, ITool> _tools;

    public ToolHarness(Action<MlrbToolsOptions>? configure = null, DateTimeOffset? deadline = null, TimeProvider? time = null, Action<IServiceCollection>? register = null, string? taskName = null)
    {
        Workspace = TestPaths.CreateTempDirectory("mlrb-tools");
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time); // the HTTP clients' retry delays and timeouts run on it too
        }

        register?.Invoke(services);
        _services = services.AddMlrbTools(configure).BuildServiceProvider();
        Factory = _services.GetRequiredService<IToolFactory>();
        Context = new ToolContext { WorkspacePath = Workspace, RunId = "test", TaskName = taskName, Deadline = deadline, TimeProvider = time ?? TimeProvider.System };
        Tools = Factory.CreateTools(Context);
        _tools = Tools.ToDictionary(t => t.Name);
    }

    public string Workspace { get; }

    public IToolFactory Factory { get; }

    public ToolContext Context { get; }

    public IReadOnlyList<ITool> Tools { get; }

    public ITool this[string name] => _tools[name];

    public string PathOf(string relative) => Path.Combine(Workspace, relative);

    public Task<ToolResult> InvokeAsync(string tool, object arguments, CancellationToken cancellationToken = default) =>
        _tools[tool].InvokeAsync(JsonSerializer.SerializeToElement(arguments), cancellationToken);

    public Task<ToolResult> InvokeJsonAsync(string tool, string json, CancellationToken cancellationToken = default) =>
        _tools[tool].InvokeAsync(JsonDocument.Parse(json).RootElement, cancellationToken);

    public void Dispose()
    {
        _services.Dispose();
        try
        {
            Directory.Delete(Workspace, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
