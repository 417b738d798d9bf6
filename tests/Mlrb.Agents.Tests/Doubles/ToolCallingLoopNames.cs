namespace Mlrb.Agents.Tests.Doubles;

internal static class ToolCallingLoopNames
{
    public const string Finish = Mlrb.Agents.Loop.ToolCallingLoop.FinishToolName;
}
