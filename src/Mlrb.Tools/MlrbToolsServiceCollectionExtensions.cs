using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mlrb.Tools.DependencyInjection;

namespace Mlrb.Tools;

/// <summary>Registers the Mlrb tools.</summary>
public static class MlrbToolsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IToolFactory"/> (all 17 tools), <see cref="MlrbToolsOptions"/> and the HTTP clients for GitHub,
    /// Semantic Scholar and arXiv. The options are validated here, so a bad setting fails at start-up with a message
    /// naming it, and again whenever they are resolved.
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
            throw new OptionsValidationException(Options.DefaultName, typeof(MlrbToolsOptions), problems);
        }

        var builder = services.AddOptions<MlrbToolsOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MlrbToolsOptions>, MlrbToolsOptionsValidator>());
        services.AddHttpClient(ResearchToolSet.GitHubClient, (sp, client) =>
        {
            var o = sp.GetRequiredService<IOptions<MlrbToolsOptions>>().Value;
            Prepare(client, o.GitHubBaseAddress);
            client.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
            client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
            if (!string.IsNullOrWhiteSpace(o.GitHubToken))
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.GitHubToken);
            }
        });
        services.AddHttpClient(ResearchToolSet.SemanticScholarClientName, (sp, client) =>
        {
            var o = sp.GetRequiredService<IOptions<MlrbToolsOptions>>().Value;
            Prepare(client, o.SemanticScholarBaseAddress);
            if (!string.IsNullOrWhiteSpace(o.SemanticScholarApiKey))
            {
                client.DefaultRequestHeaders.Add("x-api-key", o.SemanticScholarApiKey);
            }
        });
        services.AddHttpClient(ResearchToolSet.ArxivClientName, (sp, client) =>
            Prepare(client, sp.GetRequiredService<IOptions<MlrbToolsOptions>>().Value.ArxivBaseAddress));
        services.TryAddSingleton<ResearchToolSet>();
        services.TryAddSingleton<IToolFactory, ToolFactory>();
        return services;
    }

    private static void Prepare(HttpClient client, Uri baseAddress)
    {
        client.BaseAddress = baseAddress;
        client.Timeout = Timeout.InfiniteTimeSpan; // per-attempt timeouts come from the Polly pipeline
        client.DefaultRequestHeaders.UserAgent.ParseAdd("mlrb-tools/0.1");
    }
}
