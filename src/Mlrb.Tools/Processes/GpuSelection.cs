using System.Globalization;
using System.Text.RegularExpressions;

namespace Mlrb.Tools.Processes;

/// <summary>Turns <see cref="ProcessLimits.Gpus"/> into the device nodes to bind and the <c>CUDA_VISIBLE_DEVICES</c> to set.</summary>
internal static partial class GpuSelection
{
    private static readonly string[] ControlNodes = ["/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset", "/dev/nvidia-caps", "/dev/kfd", "/dev/dri"];

    /// <summary>Whether <paramref name="gpus"/> is <c>all</c>, <c>none</c> or a list of indices.</summary>
    /// <param name="gpus">The setting.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValid(string? gpus) => gpus is "all" or "none" || (gpus is not null && IndexList().IsMatch(gpus));

    /// <summary>Existing device nodes for the selection under <paramref name="devRoot"/> (injected for tests).</summary>
    /// <param name="gpus">The setting.</param>
    /// <param name="devRoot">Normally <c>/dev</c>.</param>
    /// <returns>Absolute paths to bind.</returns>
    public static List<string> DeviceNodes(string gpus, string devRoot = "/dev")
    {
        var nodes = new List<string>();
        if (gpus == "none" || !Directory.Exists(devRoot))
        {
            return nodes;
        }

        var numbered = Directory.EnumerateFileSystemEntries(devRoot, "nvidia*")
            .Where(p => NumberedNode().IsMatch(Path.GetFileName(p)))
            .ToList();
        if (gpus != "all")
        {
            var wanted = gpus.Split(',').Select(s => "nvidia" + int.Parse(s, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
            numbered = numbered.Where(p => wanted.Contains(Path.GetFileName(p))).ToList();
        }

        if (numbered.Count == 0 && gpus != "all")
        {
            return nodes;
        }

        nodes.AddRange(numbered.Order(StringComparer.Ordinal));
        foreach (var name in ControlNodes)
        {
            var path = Path.Combine(devRoot, Path.GetFileName(name));
            if (File.Exists(path) || Directory.Exists(path))
            {
                nodes.Add(path);
            }
        }

        return nodes;
    }

    /// <summary>The value for <c>CUDA_VISIBLE_DEVICES</c>, or null to pass on the host's.</summary>
    /// <param name="gpus">The setting.</param>
    /// <returns>The value or null.</returns>
    public static string? VisibleDevices(string gpus) => gpus switch
    {
        "all" => null,
        "none" => "",
        _ => gpus,
    };

    [GeneratedRegex(@"^[0-9]{1,3}(,[0-9]{1,3})*$")]
    private static partial Regex IndexList();

    [GeneratedRegex(@"^nvidia[0-9]+$")]
    private static partial Regex NumberedNode();
}
