using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mlrb.Eval.Chat;
using Mlrb.Eval.Generation;

namespace Mlrb.Eval.Serving;

/// <summary>
/// A running OpenAI-compatible server (Kestrel, minimal APIs) over one model: start it with <see cref="StartAsync(string, OpenAiServerOptions, TextGeneratorOptions?, CancellationToken)"/>,
/// point any OpenAI client at <see cref="BaseAddress"/>, dispose it to stop.
/// </summary>
public sealed class OpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ITextGenerator? _owned;

    private OpenAiServer(WebApplication app, ITextGenerator? owned, string modelId, Uri baseAddress)
    {
        _app = app;
        _owned = owned;
        ModelId = modelId;
        BaseAddress = baseAddress;
    }

    /// <summary>The API's base address, ending in <c>/v1/</c> (what OpenAI clients take as their endpoint).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The id clients name the model by.</summary>
    public string ModelId { get; }

    /// <summary>Loads the model folder (weights, tokenizer, <c>chat_template</c>) and starts serving it.</summary>
    /// <param name="modelDirectory">A Hugging Face model folder.</param>
    /// <param name="options">Where to listen and what to accept.</param>
    /// <param name="generatorOptions">Batching and threads of the engine; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="ArgumentException">The options are unusable (e.g. a non-loopback host without an API key).</exception>
    public static async Task<OpenAiServer> StartAsync(string modelDirectory, OpenAiServerOptions options, TextGeneratorOptions? generatorOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var template = ChatTemplate.Load(modelDirectory);
        var generator = TextGenerator.Load(modelDirectory, generatorOptions);
        try
        {
            var id = options.ModelId ?? new DirectoryInfo(Path.GetFullPath(modelDirectory)).Name;
            return await StartCoreAsync(generator, template, options with { ModelId = id }, generator, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await generator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts serving a generator you loaded (it stays yours to dispose, after the server).</summary>
    /// <param name="generator">The generator.</param>
    /// <param name="chatTemplate">Its chat template; null for none (chat requests then get a 400 that says so).</param>
    /// <param name="options">Where to listen and what to accept; <see cref="OpenAiServerOptions.ModelId"/> defaults to "mlrb".</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running server.</returns>
    public static Task<OpenAiServer> StartAsync(ITextGenerator generator, ChatTemplate? chatTemplate, OpenAiServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return StartCoreAsync(generator, chatTemplate, options with { ModelId = options.ModelId ?? "mlrb" }, null, cancellationToken);
    }

    /// <summary>Completes when the server stops (<paramref name="cancellationToken"/> stops it).</summary>
    /// <param name="cancellationToken">Stops the server.</param>
    /// <returns>A task that completes on shutdown.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, cancellationToken);

    /// <summary>Stops listening (requests in flight are cancelled) and releases the model when this server loaded it.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<OpenAiServer> StartCoreAsync(ITextGenerator generator, ChatTemplate? template, OpenAiServerOptions options, ITextGenerator? owned, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
            if (string.Equals(options.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                k.Listen(IPAddress.Loopback, options.Port);
            }
            else
            {
                k.Listen(IPAddress.Parse(options.Host.Trim('[', ']')), options.Port);
            }
        });
        var app = builder.Build();
        app.UseStatusCodePages(async context =>
        {
            // Statuses produced without a body (405, 415 from routing) get OpenAI's error body too.
            var response = context.HttpContext.Response;
            var error = ApiException.Body($"HTTP {response.StatusCode} for {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}.", "invalid_request_error", null, null);
            response.ContentType = "application/json";
            await response.WriteAsync(JsonOutput.Write(error)).ConfigureAwait(false);
        });
        app.MapMlrbOpenAiApi(generator, template, options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal).TrimEnd('/') + "/v1/");
        return new OpenAiServer(app, owned, options.ModelId!, uri);
    }
}
