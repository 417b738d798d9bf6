using Microsoft.Extensions.DependencyInjection;
using Mlrb.Tasks;
using Mlrb.Tasks.Provenance;
using Mlrb.Tools;
using Mlrb.Tools.Probing;

namespace Mlrb.Cli.Commands.Run;

/// <summary>
/// At run start: captures the host, probes the agent's Python through the tools' sandbox, and warns once (on stderr)
/// when packages the task needs do not import.
/// </summary>
internal static class RunEnvironmentRecorder
{
    /// <summary>Captures the environment of a new run.</summary>
    public static async Task<RunEnvironment> CaptureAsync(IServiceProvider services, ResearchTask task, string workspace, DateTimeOffset deadline, TextWriter stderr, CancellationToken cancellationToken)
    {
        var probe = services.GetRequiredService<IAgentEnvironmentProbe>();
        var needed = PythonPackages.NeededBy(task);
        var host = HostEnvironment.CaptureAsync(workspace, cancellationToken);
        var python = await probe.ProbePythonAsync(
            new ToolContext { WorkspacePath = workspace, Deadline = deadline },
            PythonPackages.Probed.Concat(needed),
            cancellationToken).ConfigureAwait(false);
        if (python.Error is { } error)
        {
            await stderr.WriteLineAsync($"mlrb run: warning: could not probe the agent's Python ('{python.Executable}'): {error}. The prompt says no packages are installed; give --python PATH to use another interpreter or virtual environment.").ConfigureAwait(false);
        }
        else if (python.Missing(needed) is { Count: > 0 } missing)
        {
            await stderr.WriteLineAsync($"mlrb run: warning: {task.Name} needs Python packages that '{python.Executable}' (Python {python.Version}) cannot import: {string.Join(", ", missing)}. The agent is told what is installed; install them there, or give --python PATH (an interpreter or a virtual environment that has them).").ConfigureAwait(false);
        }

        return await host.ConfigureAwait(false) with { Sandbox = probe.DescribeSandbox(), Python = python };
    }

    /// <summary>The prompt's "already installed" list for a captured environment.</summary>
    public static IReadOnlyList<string> InstalledForPrompt(RunEnvironment environment)
        => environment.Python is { } python ? PythonPackages.DescribeInstalled(python) : PromptContext.DefaultPreinstalledPackages;
}
