namespace Mlrb.Tools;

/// <summary>How <c>run_python</c> and <c>run_bash</c> children are confined.</summary>
public enum SandboxMode
{
    /// <summary>Use bubblewrap when it is installed and works here, else run unconfined (logged once).</summary>
    Auto,

    /// <summary>Always use bubblewrap; a call fails with a clear message when it is missing or broken.</summary>
    Bubblewrap,

    /// <summary>Never use bubblewrap: children run with the host file system (timeouts, process-group kill and the environment allow-list still apply).</summary>
    None,
}
