using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Mlrb.Tools;

namespace Microsoft.SemanticKernel;

/// <summary>Adds Mlrb's tools to a kernel as one <see cref="KernelPlugin"/>.</summary>
public static class MlrbKernelPluginExtensions
{
    /// <summary>The plugin name used when none is given.</summary>
    public const string DefaultPluginName = "mlrb";

    /// <summary>
    /// Adds the 17 Mlrb tools bound to <paramref name="context"/>'s workspace as a plugin. Each function is the tool
    /// itself: the same JSON schema, argument validation, workspace guard, process sandbox and output caps as for any
    /// other agent, so a kernel's automatic function calling (<c>FunctionChoiceBehavior.Auto()</c>) can run them safely.
    /// </summary>
    /// <param name="plugins">The kernel's plugins (<c>kernel.Plugins</c> or <c>builder.Plugins</c>).</param>
    /// <param name="tools">The tool factory (<c>services.AddMlrbTools()</c> registers one).</param>
    /// <param name="context">The workspace, run id and deadline the tools are bound to.</param>
    /// <param name="pluginName">The plugin's name; the model sees <c>{pluginName}-{tool}</c>. Default <c>mlrb</c>.</param>
    /// <returns>The plugin added.</returns>
    public static KernelPlugin AddMlrbTools(this ICollection<KernelPlugin> plugins, IToolFactory tools, ToolContext context, string pluginName = DefaultPluginName)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginName);
        var plugin = KernelPluginFactory.CreateFromFunctions(
            pluginName,
            "Mlrb research tools bound to one workspace: run code, edit files, take notes, search papers and GitHub, and submit the result.",
            tools.CreateAIFunctions(context).Select(f => f.AsKernelFunction()));
        plugins.Add(plugin);
        return plugin;
    }

    /// <summary>
    /// Adds the 17 Mlrb tools bound to the workspace folder <paramref name="workspacePath"/>, with their own options
    /// (process timeouts, output caps, sandbox mode, API keys). For tools configured through your container, use the
    /// overload that takes an <see cref="IToolFactory"/>.
    /// </summary>
    /// <param name="plugins">The kernel's plugins.</param>
    /// <param name="workspacePath">The workspace folder (must exist); the tools never reach outside it.</param>
    /// <param name="configure">Sets the tools' options; null keeps the defaults.</param>
    /// <param name="pluginName">The plugin's name. Default <c>mlrb</c>.</param>
    /// <returns>The plugin added.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid.</exception>
    /// <exception cref="DirectoryNotFoundException">The workspace folder does not exist.</exception>
    public static KernelPlugin AddMlrbTools(this ICollection<KernelPlugin> plugins, string workspacePath, Action<MlrbToolsOptions>? configure = null, string pluginName = DefaultPluginName)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        ArgumentException.ThrowIfNullOrWhiteSpace(workspacePath);
        var full = Path.GetFullPath(workspacePath);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The workspace folder '{full}' does not exist.");
        }

        // The tools' container lives as long as the plugin's functions hold on to its HTTP clients.
        var services = new ServiceCollection().AddMlrbTools(configure).BuildServiceProvider();
        return plugins.AddMlrbTools(services.GetRequiredService<IToolFactory>(), new ToolContext { WorkspacePath = full }, pluginName);
    }
}
