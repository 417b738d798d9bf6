namespace Mlrb.Tools.Processes;

/// <summary>One child process to run in the workspace.</summary>
/// <param name="Tool">The tool that asks (names the log file).</param>
/// <param name="Executable">Program name or path.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="RequestedTimeout">The timeout the call asked for; null for the default.</param>
internal sealed record ProcessRequest(string Tool, string Executable, IReadOnlyList<string> Arguments, TimeSpan? RequestedTimeout);
