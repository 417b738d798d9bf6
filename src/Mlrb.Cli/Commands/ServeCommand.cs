using System.CommandLine;
using System.Runtime.InteropServices;
using Mlrb.Cli.Commands.Eval;
using Mlrb.Eval.Generation;
using Mlrb.Eval.Serving;

namespace Mlrb.Cli.Commands;

/// <summary>
/// The <c>mlrb serve</c> verb: an OpenAI-compatible HTTP server over one model folder (Mlrb.Eval.Serving), until Ctrl+C
/// or SIGTERM. Exit codes: 0 stopped, 1 model or start-up error, 2 bad arguments.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The environment variable read for the API key when <c>--api-key</c> is not given (keeps it out of the process list).</summary>
    public const string ApiKeyVariable = "MLRB_SERVE_API_KEY";

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json, *.safetensors, tokenizer, chat_template).", Required = true };
        var adapter = ModelSource.AdapterOption();
        var baseModel = ModelSource.BaseOption();
        var host = new Option<string>("--host") { Description = "Address to listen on; anything but loopback requires --api-key.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        var apiKey = new Option<string?>("--api-key") { Description = $"Require 'Authorization: Bearer KEY' on every request (or set {ApiKeyVariable})." };
        var name = new Option<string?>("--served-model-name") { Description = "The model id clients send (default: the model folder's name)." };
        var batch = new Option<int>("--max-batch") { Description = "Most sequences decoded together; more requests queue.", DefaultValueFactory = _ => 16 };
        var concurrent = new Option<int>("--max-concurrent") { Description = "Most requests in flight; more get 429.", DefaultValueFactory = _ => 1024 };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores)." };
        var device = DeviceOption.Create();
        var command = new Command("serve", "Serve a model over an OpenAI-compatible HTTP API (/v1/models, /v1/completions with echo+logprobs, /v1/chat/completions).")
        {
            model, adapter, baseModel, host, port, apiKey, name, batch, concurrent, threads, device,
        };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            var options = new OpenAiServerOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                ApiKey = parse.GetValue(apiKey) ?? NullIfEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)),
                ModelId = parse.GetValue(name),
                MaxConcurrentRequests = parse.GetValue(concurrent),
            };
            ModelSource source;
            try
            {
                options.Validate();
                source = ModelSource.Resolve(parse.GetRequiredValue(model), parse.GetValue(adapter), parse.GetValue(baseModel));
                if (parse.GetValue(batch) <= 0)
                {
                    throw new ArgumentException("--max-batch must be positive.");
                }

                DeviceOption.CheckAndAnnounce(parse.GetValue(device)!, error);
            }
            catch (ArgumentException ex)
            {
                error.WriteLine($"mlrb serve: {ex.Message}");
                return 2;
            }

            var generatorOptions = new TextGeneratorOptions
            {
                Threads = parse.GetValue(threads), MaxBatchSequences = parse.GetValue(batch), Adapter = source.Adapter, Device = parse.GetValue(device)!,
            };
            return CtrlC.Run(error, ct => RunAsync(source.Model, options, generatorOptions, output, error, ct), "serve");
        });
        return command;
    }

    private static async Task<int> RunAsync(string model, OpenAiServerOptions options, TextGeneratorOptions generatorOptions, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        await using var server = await OpenAiServer.StartAsync(model, options, generatorOptions, stop.Token).ConfigureAwait(false);
        await output.WriteLineAsync($"mlrb serve: '{server.ModelId}' at {server.BaseAddress} (OpenAI-compatible; Ctrl+C to stop)").ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("mlrb serve: stopped.").ConfigureAwait(false);
        }

        return 0;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
