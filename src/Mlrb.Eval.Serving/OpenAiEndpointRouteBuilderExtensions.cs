using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mlrb.Eval.Chat;
using Mlrb.Eval.Generation;

namespace Mlrb.Eval.Serving;

/// <summary>Maps the OpenAI-compatible API onto an ASP.NET Core app of your own.</summary>
public static class OpenAiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /v1/models</c>, <c>GET /v1/models/{id}</c>, <c>POST /v1/completions</c> and <c>POST /v1/chat/completions</c>
    /// over <paramref name="generator"/>. Every route checks <see cref="OpenAiServerOptions.ApiKey"/> when it is set, and
    /// answers errors with OpenAI's error body.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="generator">The model's generator (all requests share its continuous batch).</param>
    /// <param name="chatTemplate">The model's chat template; null answers chat requests with a 400 that says so.</param>
    /// <param name="options">Model id, API key and limits (<see cref="OpenAiServerOptions.ModelId"/> must be set).</param>
    /// <returns>The <c>/v1</c> route group.</returns>
    public static RouteGroupBuilder MapMlrbOpenAiApi(this IEndpointRouteBuilder endpoints, ITextGenerator generator, ChatTemplate? chatTemplate, OpenAiServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        var id = options.ModelId ?? throw new ArgumentException("OpenAiServerOptions.ModelId must be set.", nameof(options));
        var served = new ServedModel(generator, chatTemplate, id, options);
        var group = endpoints.MapGroup("/v1");
        group.AddEndpointFilter(async (context, next) =>
        {
            if (options.ApiKey is { Length: > 0 } key && !Authorized(context.HttpContext.Request, key))
            {
                await WriteErrorAsync(context.HttpContext, new ApiException(401, "Incorrect or missing API key: send 'Authorization: Bearer <key>'.", code: "invalid_api_key", type: "invalid_request_error")).ConfigureAwait(false);
                return Results.Empty;
            }

            return await next(context).ConfigureAwait(false);
        });
        group.MapGet("/models", () => Results.Json(new { @object = "list", data = new[] { served.Describe() } }));
        group.MapGet("/models/{model}", (HttpContext http, string model) => Guard(http, served, false, () =>
            model == served.Id
                ? CompletionsEndpoint.WriteJsonAsync(http.Response, 200, served.Describe(), http.RequestAborted)
                : throw new ApiException(404, $"The model '{model}' does not exist on this server; it serves '{served.Id}'.", "model", "model_not_found")));
        group.MapPost("/completions", (HttpContext http) => Guard(http, served, true, () => CompletionsEndpoint.HandleAsync(http, served)));
        group.MapPost("/chat/completions", (HttpContext http) => Guard(http, served, true, () => ChatCompletionsEndpoint.HandleAsync(http, served)));
        group.MapFallback((HttpContext http) => WriteErrorAsync(http, new ApiException(404, $"Unknown endpoint: {http.Request.Method} {http.Request.Path}.", code: "unknown_url")));
        return group;
    }

    private static bool Authorized(HttpRequest request, string key)
    {
        var header = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[bearer.Length..].Trim()), Encoding.UTF8.GetBytes(key));
    }

    /// <summary>Runs a handler: counts it against the concurrency limit, maps failures to OpenAI error bodies, and stays quiet when the client left.</summary>
    private static async Task Guard(HttpContext http, ServedModel served, bool counted, Func<Task> handler)
    {
        try
        {
            using var lease = counted ? served.Enter() : null;
            await handler().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client disconnected: its generation was cancelled with the request; nobody is left to answer.
        }
        catch (ApiException ex)
        {
            await WriteErrorAsync(http, ex).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            await WriteErrorAsync(http, ApiException.BadRequest(ex.Message)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // any other failure is the server's: answer 500 with its message rather than drop the connection
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await WriteErrorAsync(http, new ApiException(500, $"The server failed: {ex.Message}", type: "server_error")).ConfigureAwait(false);
        }
    }

    private static async Task WriteErrorAsync(HttpContext http, ApiException ex)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        await CompletionsEndpoint.WriteJsonAsync(http.Response, ex.Status, ex.Body(), CancellationToken.None).ConfigureAwait(false);
    }
}
