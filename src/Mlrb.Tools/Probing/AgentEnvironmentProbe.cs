using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mlrb.Tasks.Provenance;
using Mlrb.Tools.Core;
using Mlrb.Tools.Processes;

namespace Mlrb.Tools.Probing;

/// <summary>The <see cref="IAgentEnvironmentProbe"/>: a short Python script run through <see cref="ProcessSandbox"/> with a timeout.</summary>
internal sealed class AgentEnvironmentProbe(IOptions<MlrbToolsOptions> options, ILoggerFactory? loggerFactory = null) : IAgentEnvironmentProbe
{
    private const string Marker = "MLRB_PROBE ";

    private const string Script = """
        import importlib, json, sys
        out = {"version": sys.version.split()[0], "executable": sys.executable, "packages": {}, "gpu_visible": None, "gpu_devices": []}
        for name in sys.argv[1:]:
            try:
                module = importlib.import_module(name)
                version = getattr(module, "__version__", None)
                out["packages"][name] = version if isinstance(version, str) else ""
            except BaseException:
                out["packages"][name] = None
        if out["packages"].get("torch") is not None:
            try:
                import torch
                out["gpu_visible"] = bool(torch.cuda.is_available())
                if out["gpu_visible"]:
                    out["gpu_devices"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
            except BaseException:
                pass
        print("MLRB_PROBE " + json.dumps(out), flush=True)
        """;

    /// <summary>How long the probe may take (importing torch and transformers can take a while on a cold disk).</summary>
    internal TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    public async Task<PythonEnvironment> ProbePythonAsync(ToolContext context, IEnumerable<string> packages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(packages);
        var names = packages.Where(IsModuleName).Distinct(StringComparer.Ordinal).ToList();
        var executable = options.Value.PythonExecutable;
        var runtime = new ToolRuntime(context, options.Value, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Mlrb.Tools"));
        var outcome = await new ProcessSandbox(runtime)
            .RunAsync(new ProcessRequest("environment_probe", executable, ["-c", Script, .. names], Timeout), cancellationToken)
            .ConfigureAwait(false);

        PythonEnvironment Failed(string error) => new()
        {
            Executable = executable,
            Packages = names.ToDictionary(n => n, string? (_) => null, StringComparer.Ordinal),
            Error = error,
            LimitsInForce = outcome.LimitsInForce,
        };

        if (outcome.StartError is { } start)
        {
            return Failed(start);
        }

        if (outcome.TimedOut)
        {
            return Failed($"the probe did not finish within {outcome.Timeout.TotalSeconds:0} s");
        }

        var line = outcome.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (line is null)
        {
            var tail = outcome.Stderr.Trim();
            return Failed($"'{executable}' exited with code {outcome.ExitCode} without a probe result{(tail.Length == 0 ? "" : ": " + (tail.Length > 300 ? tail[^300..] : tail))}");
        }

        try
        {
            using var json = JsonDocument.Parse(line[Marker.Length..]);
            var root = json.RootElement;
            var found = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                found[name] = root.GetProperty("packages").TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            }

            return new PythonEnvironment
            {
                Executable = executable,
                ResolvedExecutable = root.GetProperty("executable").GetString(),
                Version = root.GetProperty("version").GetString(),
                Packages = found,
                GpuVisible = root.GetProperty("gpu_visible").ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => null,
                },
                GpuDevices = root.GetProperty("gpu_devices").EnumerateArray().Select(d => d.GetString() ?? "").ToList(),
                LimitsInForce = outcome.LimitsInForce,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Failed("unreadable probe output: " + ex.Message);
        }
    }

    /// <inheritdoc />
    public string DescribeSandbox() => options.Value.Sandbox switch
    {
        SandboxMode.None => "none (Sandbox = None)",
        SandboxMode.Bubblewrap => Bubblewrap.Path is null ? $"bubblewrap required but unusable: {Bubblewrap.ProbeFailure}" : "bubblewrap",
        _ => Bubblewrap.Path is null ? $"none (bubblewrap unusable: {Bubblewrap.ProbeFailure})" : "bubblewrap",
    };

    private static bool IsModuleName(string name)
        => name.Length > 0 && name.Split('.').All(part => part.Length > 0 && (char.IsAsciiLetter(part[0]) || part[0] == '_') && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));
}
