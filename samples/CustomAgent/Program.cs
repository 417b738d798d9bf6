using CustomAgent;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await CustomAgentApp.RunAsync(args, Console.Out, cancel.Token);
