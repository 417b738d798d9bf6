namespace Mlrb.Agents.Tests.Doubles;

internal static class ToolCallingLoopNames
{
    public const string Finish = Mlrb.Agents.ToolLoop.ToolCallingLoop.FinishToolName;
}
