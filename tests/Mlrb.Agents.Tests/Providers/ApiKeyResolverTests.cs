using Mlrb.Agents.Providers;

namespace Mlrb.Agents.Tests.Providers;

public class ApiKeyResolverTests
{
    [Test]
    public void ConfiguredKey_WinsOverTheEnvironment()
    {
        var key = ApiKeyResolver.Resolve(new ModelOptions { ApiKey = "configured" }, _ => "from-env");
        Assert.That(key, Is.EqualTo("configured"));
    }

    [TestCase(ChatProvider.OpenAI, "OPENAI_API_KEY")]
    [TestCase(ChatProvider.Anthropic, "ANTHROPIC_API_KEY")]
    public void StandardVariable_IsPreferredOverTheReferenceName(ChatProvider provider, string standard)
    {
        var env = new Dictionary<string, string> { [standard] = "standard", ["OPENAI"] = "legacy", ["ANTHROPIC"] = "legacy" };
        Assert.That(ApiKeyResolver.Resolve(new ModelOptions { Provider = provider }, n => env.GetValueOrDefault(n)), Is.EqualTo("standard"));
    }

    [TestCase(ChatProvider.OpenAI, "OPENAI")]
    [TestCase(ChatProvider.Anthropic, "ANTHROPIC")]
    public void ReferenceVariable_IsUsedWhenTheStandardOneIsMissing(ChatProvider provider, string legacy)
    {
        var env = new Dictionary<string, string> { [legacy] = "legacy-key" };
        Assert.That(ApiKeyResolver.Resolve(new ModelOptions { Provider = provider }, n => env.GetValueOrDefault(n)), Is.EqualTo("legacy-key"));
    }
}
