namespace Mlrb.Tools.Processes;

/// <summary>
/// Builds a child's environment from an allow-list, so API keys and tokens in this process never reach tools' children.
/// HOME and the working directory are the workspace; TMPDIR is /tmp (private under bubblewrap).
/// </summary>
internal static class ChildEnvironment
{
    /// <summary>Names always passed through when set: locale, search path, devices, thread counts, interpreter roots, CA bundles.</summary>
    public static readonly IReadOnlyList<string> BuiltInNames =
    [
        "PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_MESSAGES", "TZ", "TERM", "USER", "LOGNAME", "SHELL",
        "PYENV_ROOT", "PYENV_VERSION", "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE",
        "LD_LIBRARY_PATH", "CUDA_HOME", "CUDA_PATH", "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES",
        "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
        "HF_HOME", "HF_DATASETS_CACHE", "HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE", "TRANSFORMERS_CACHE", "TORCH_HOME",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "PIP_CERT", "PIP_FIND_LINKS", "PIP_DEFAULT_TIMEOUT",
        "PIP_DISABLE_PIP_VERSION_CHECK", "DOTNET_ROOT",
    ];

    /// <summary>The environment for a child working in <paramref name="workspace"/>.</summary>
    /// <param name="workspace">The workspace (HOME and PWD).</param>
    /// <param name="extraNames">Names the host allowed on top of the built-in list.</param>
    /// <param name="parent">Reads this process's variables (injected for tests).</param>
    /// <returns>Name/value pairs.</returns>
    public static Dictionary<string, string> Build(string workspace, IEnumerable<string> extraNames, Func<string, string?>? parent = null)
    {
        parent ??= Environment.GetEnvironmentVariable;
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in BuiltInNames.Concat(extraNames))
        {
            if (parent(name) is { } value)
            {
                env[name] = value;
            }
        }

        env.TryAdd("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.TryAdd("LANG", "C.UTF-8");
        env["HOME"] = workspace;
        env["PWD"] = workspace;
        env["TMPDIR"] = "/tmp";
        env["PYTHONUNBUFFERED"] = "1";
        env["MLRB_WORKSPACE"] = workspace;
        return env;
    }
}
