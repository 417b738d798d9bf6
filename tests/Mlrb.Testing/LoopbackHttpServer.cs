using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Mlrb.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) for client tests. Each request is handed to <c>handler</c>;
/// every request is recorded for assertions. Never reaches beyond loopback.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<RecordedRequest, HttpListenerResponse, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts listening.</summary>
    /// <param name="handler">Writes the response for a request (status, headers, body).</param>
    public LoopbackHttpServer(Func<RecordedRequest, HttpListenerResponse, Task> handler)
    {
        _handler = handler;
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(BaseAddress.ToString());
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The server's base address, ending in <c>/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests received so far, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Writes a UTF-8 body with a status and content type.</summary>
    /// <param name="response">The response.</param>
    /// <param name="status">Status code.</param>
    /// <param name="body">Body text.</param>
    /// <param name="contentType">Content type.</param>
    /// <returns>A task that completes when the body is written.</returns>
    public static async Task WriteAsync(HttpListenerResponse response, int status, string body, string contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(response);
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
        catch (HttpListenerException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync().ConfigureAwait(false);
                var recorded = new RecordedRequest(
                    context.Request.HttpMethod,
                    context.Request.Url!,
                    context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase),
                    body);
                Requests.Enqueue(recorded);
                try
                {
                    await _handler(recorded, context.Response).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    try
                    {
                        await WriteAsync(context.Response, 599, "test handler failed: " + ex.Message, "text/plain").ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // The client went away.
                    }
                }
            });
        }
    }
}
