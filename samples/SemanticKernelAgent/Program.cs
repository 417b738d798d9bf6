using SemanticKernelAgent;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await SemanticKernelAgentApp.RunAsync(args, Console.Out, cancel.Token);
