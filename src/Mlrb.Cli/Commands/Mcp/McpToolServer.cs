using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mlrb.Tools;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Mlrb.Cli.Commands.Mcp;

/// <summary>Runs an MCP server that serves every Mlrb tool, bound to one workspace, over a given transport.</summary>
internal static class McpToolServer
{
    /// <summary>Serves until the client disconnects or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="settings">Workspace and sandbox settings.</param>
    /// <param name="createTransport">Creates the transport (stdio for the CLI, streams in tests).</param>
    /// <param name="loggerFactory">Logging (must not write to stdout when the transport is stdio).</param>
    /// <param name="environment">Reads tokens from this process's environment (injected for tests).</param>
    /// <param name="cancellationToken">Stops the server.</param>
    /// <returns>A task that completes when the session ends.</returns>
    public static async Task RunAsync(
        McpHostSettings settings,
        Func<McpServerOptions, ILoggerFactory, ModelContextProtocol.Protocol.ITransport> createTransport,
        ILoggerFactory loggerFactory,
        Func<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var services = new ServiceCollection()
            .AddSingleton(loggerFactory)
            .AddMlrbTools(o =>
            {
                o.AllowNetwork = settings.AllowNetwork;
                o.Sandbox = settings.Sandbox;
                if (settings.Limits is { } limits)
                {
                    o.Limits = limits;
                }
                if (settings.TimeoutSeconds is { } seconds)
                {
                    o.DefaultProcessTimeout = TimeSpan.FromSeconds(seconds);
                    if (o.MaxProcessTimeout < o.DefaultProcessTimeout)
                    {
                        o.MaxProcessTimeout = o.DefaultProcessTimeout;
                    }
                }

                o.GitHubToken = environment("GITHUB_TOKEN");
                o.SemanticScholarApiKey = environment("SEMANTIC_SCHOLAR_API_KEY");
            });
        await using var provider = services.BuildServiceProvider();
        var tools = provider.GetRequiredService<IToolFactory>().CreateTools(new ToolContext { WorkspacePath = settings.Workdir, RunId = "mcp" });
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var collection = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var tool in tools)
        {
            collection.Add(new SessionBoundTool(tool, session.Token).ToMcpServerTool());
        }

        var options = new McpServerOptions
        {
            ServerInfo = new Implementation
            {
                Name = "mlrb-tools",
                Version = typeof(McpToolServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.1.0",
            },
            ServerInstructions = $"Machine-learning research tools working in {settings.Workdir}. Paths are relative to it; processes are sandboxed and time-limited.",
            ToolCollection = collection,
        };
        var transport = createTransport(options, loggerFactory);
        await using (transport.ConfigureAwait(false))
        {
            await using var server = McpServer.Create(transport, options, loggerFactory, provider);

            // When the client goes away (EOF on stdin, a closed stream), running calls are cancelled at once, which kills
            // their processes, and the server stops instead of waiting for them to time out.
            var run = server.RunAsync(session.Token);
            var closed = transport.MessageReader.Completion;
            if (await Task.WhenAny(run, closed).ConfigureAwait(false) == closed)
            {
                await session.CancelAsync().ConfigureAwait(false);
            }

            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (session.IsCancellationRequested)
            {
                // The session ended.
            }
        }
    }
}
