namespace Mlrb.Tasks.Storage;

/// <summary>The state of one step.</summary>
public enum StepStatus
{
    /// <summary>Begun; no outcome recorded yet (a crash leaves steps here).</summary>
    Started,

    /// <summary>Finished successfully.</summary>
    Succeeded,

    /// <summary>Finished with a failure the model was told about.</summary>
    Failed,
}
