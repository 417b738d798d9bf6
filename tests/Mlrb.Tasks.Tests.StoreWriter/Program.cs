using System.Globalization;
using Mlrb.Tasks.Storage;

// Usage: Mlrb.Tasks.Tests.StoreWriter <database file or postgres location> <run-id>
// Creates the run, then adds and completes steps (each with a message) until killed, printing "done N" after each
// step is committed so that the parent knows what must survive.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Mlrb.Tasks.Tests.StoreWriter <database> <run-id>");
    return 2;
}

var (database, runId) = (args[0], args[1]);
await using var store = await RunStoreFactory.OpenAsync(database).ConfigureAwait(false);
await store.CreateRunAsync(new RunRecord
{
    RunId = runId,
    TaskName = "baby_lm",
    WorkspacePath = Path.GetTempPath(),
    StartedAt = DateTimeOffset.UtcNow,
}).ConfigureAwait(false);
Console.Out.WriteLine("ready");
Console.Out.Flush();

for (var i = 0; i < 1_000_000; i++)
{
    var text = i.ToString(CultureInfo.InvariantCulture);
    var id = await store.AddStepAsync(new StepRecord
    {
        RunId = runId,
        Agent = "worker-1",
        Kind = "tool",
        Tool = "run_bash",
        CallId = "call-" + text,
        ArgumentsJson = "{\"script\":\"echo " + text + "\"}",
        StartedAt = DateTimeOffset.UtcNow,
    }).ConfigureAwait(false);
    await store.CompleteStepAsync(id, new StepCompletion(StepStatus.Succeeded, "step " + text, null, DateTimeOffset.UtcNow, 10, 5)).ConfigureAwait(false);
    await store.AddMessageAsync(new MessageRecord
    {
        RunId = runId,
        Agent = "worker-1",
        Role = "tool",
        ContentJson = "{\"text\":\"step " + text + "\"}",
        CreatedAt = DateTimeOffset.UtcNow,
    }).ConfigureAwait(false);
    Console.Out.WriteLine("done " + text);
    Console.Out.Flush();
}

return 0;
