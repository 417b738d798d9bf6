using Mlrb.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);
