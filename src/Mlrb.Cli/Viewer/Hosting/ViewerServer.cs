using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mlrb.Cli.Viewer.Data;

namespace Mlrb.Cli.Viewer.Hosting;

/// <summary>A running viewer: its URL, and disposal to stop it.</summary>
internal sealed class ViewerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ViewerServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The base URL it answers on.</summary>
    public Uri Url { get; }

    /// <summary>Checks the options and the store, then starts listening.</summary>
    /// <exception cref="ArgumentException">A non-loopback host without a token, or a bad host.</exception>
    /// <exception cref="ViewerStoreException">The store cannot be read.</exception>
    public static async Task<ViewerServer> StartAsync(ViewerOptions options, CancellationToken cancellationToken = default)
    {
        var loopback = AccessGuard.IsLoopback(options.Host);
        if (!loopback && string.IsNullOrEmpty(options.Token))
        {
            throw new ArgumentException($"--host {options.Host} is not loopback: anyone who can reach it could read your runs, so --token is required.");
        }

        var address = options.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(options.Host.Trim('[', ']'), out var ip) ? ip
            : throw new ArgumentException($"--host must be an IP address or localhost, not '{options.Host}'.");
        var store = ViewerStore.Open(options.DatabasePath);
        var reports = new ReportFolder(options.ResultsPath);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(address, options.Port);
        });
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(reports);
        var app = builder.Build();
        var guard = new AccessGuard(options.Token, loopback);
        app.Use(guard.InvokeAsync);
        ViewerEndpoints.Map(app, store, reports);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound).Port;
        var hostText = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new ViewerServer(app, new Uri($"http://{hostText}:{port}/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
