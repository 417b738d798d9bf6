using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mlrb.Tools;
using Mlrb.Tools.DependencyInjection;
using Mlrb.Tools.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Mlrb tools.</summary>
public static class MlrbToolsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IToolFactory"/> (all 17 tools, plus <c>evaluate</c> when an <see cref="Mlrb.Tools.Evaluation.ISelfEvaluator"/> is registered), the <see cref="Mlrb.Tools.Probing.IAgentEnvironmentProbe"/>, <see cref="MlrbToolsOptions"/> and the HTTP clients for GitHub,
    /// Semantic Scholar and arXiv, each with a resilience handler (Microsoft.Extensions.Http.Resilience: retries honouring
    /// <c>Retry-After</c>, a timeout per attempt) and a cap on the body size. The options are validated here, so a bad
    /// setting fails at once with a message naming it, and again at start-up and whenever they are resolved.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options; null keeps the defaults.</param>
    /// <returns>The same collection.</returns>
    /// <exception cref="OptionsValidationException">An option is invalid.</exception>
    public static IServiceCollection AddMlrbTools(this IServiceCollection services, Action<MlrbToolsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var probe = new MlrbToolsOptions();
        configure?.Invoke(probe);
        var problems = MlrbToolsOptionsValidator.Problems(probe);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.Options.DefaultName, typeof(MlrbToolsOptions), problems);
        }

        var builder = services.AddOptions<MlrbToolsOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MlrbToolsOptions>, MlrbToolsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        AddToolClient(services, ResearchToolSet.GitHubClient, o => o.GitHubBaseAddress, o => o.MaxResponseBytes, (client, o) =>
        {
            // Octokit sets its own headers; these serve any plain use of the named client.
            client.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
            if (!string.IsNullOrWhiteSpace(o.GitHubToken))
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.GitHubToken);
            }
        });
        AddToolClient(services, ResearchToolSet.SemanticScholarClientName, o => o.SemanticScholarBaseAddress, o => o.MaxResponseBytes, (client, o) =>
        {
            if (!string.IsNullOrWhiteSpace(o.SemanticScholarApiKey))
            {
                client.DefaultRequestHeaders.Add("x-api-key", o.SemanticScholarApiKey);
            }
        });
        AddToolClient(services, ResearchToolSet.ArxivClientName, o => o.ArxivBaseAddress, o => o.MaxPdfBytes, (_, _) => { });
        services.TryAddSingleton<ResearchToolSet>();
        services.TryAddSingleton<IToolFactory, ToolFactory>();
        services.TryAddSingleton<Mlrb.Tools.Probing.IAgentEnvironmentProbe, Mlrb.Tools.Probing.AgentEnvironmentProbe>();
        return services;
    }

    /// <summary>
    /// One named tool client: base address and headers from the options, then (outermost first) the body cap, the
    /// resilience handler and the attempt counter.
    /// </summary>
    private static void AddToolClient(IServiceCollection services, string name, Func<MlrbToolsOptions, Uri> baseAddress, Func<MlrbToolsOptions, long> maxBytes, Action<HttpClient, MlrbToolsOptions> headers)
    {
        var builder = services.AddHttpClient(name, (sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<MlrbToolsOptions>>().Value;
                client.BaseAddress = baseAddress(o);
                client.Timeout = Timeout.InfiniteTimeSpan; // per-attempt timeouts come from the resilience handler
                client.DefaultRequestHeaders.UserAgent.ParseAdd("mlrb-tools/0.1");
                headers(client, o);
            })
            .AddHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<MlrbToolsOptions>>().Value;
                return new ResponseBodyLimitHandler(maxBytes(o), o.HttpTimeout, sp.GetRequiredService<TimeProvider>());
            });
        builder.AddResilienceHandler(ToolHttpResilience.PipelineName, (pipeline, context) => ToolHttpResilience.Configure(
                pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<MlrbToolsOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TimeProvider>()));
        builder.AddHttpMessageHandler(() => new AttemptCountingHandler());
    }
}
