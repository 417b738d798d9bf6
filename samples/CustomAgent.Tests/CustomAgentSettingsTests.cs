namespace CustomAgent.Tests;

public sealed class CustomAgentSettingsTests
{
    private static string? NoEnvironment(string name) => null;

    [Test]
    public void Reads_every_option()
    {
        var settings = CustomAgentSettings.Parse(
            ["--endpoint", "http://localhost:11434/v1", "--model", "qwen2.5", "--api-key", "k", "--task", "mini_baby_lm", "--workdir", "w", "--max-iterations", "3", "--time-limit", "90", "--process-timeout", "20"],
            NoEnvironment,
            out var error);

        Assert.That(error, Is.Empty);
        Assert.That(settings!.Endpoint, Is.EqualTo(new Uri("http://localhost:11434/v1")));
        Assert.That(settings.Model, Is.EqualTo("qwen2.5"));
        Assert.That(settings.ApiKey, Is.EqualTo("k"));
        Assert.That(settings.TaskName, Is.EqualTo("mini_baby_lm"));
        Assert.That(settings.WorkDirectory, Is.EqualTo("w"));
        Assert.That(settings.Budget, Is.EqualTo(new AgentBudget(3, TimeSpan.FromSeconds(90))));
        Assert.That(settings.ProcessTimeout, Is.EqualTo(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public void Defaults_a_short_budget_and_takes_the_key_from_OPENAI_API_KEY()
    {
        var settings = CustomAgentSettings.Parse(["--endpoint", "https://api.openai.com/v1", "--model", "gpt-4o-mini"], n => n == "OPENAI_API_KEY" ? "from-env" : null, out _);

        Assert.That(settings!.ApiKey, Is.EqualTo("from-env"));
        Assert.That(settings.Budget, Is.EqualTo(new AgentBudget(8, TimeSpan.FromMinutes(5))));
        Assert.That(settings.TaskName, Is.EqualTo("mini_llm_efficiency"));
    }

    [TestCase(new[] { "--model", "m" }, "--endpoint is required")]
    [TestCase(new[] { "--endpoint", "ftp://x", "--model", "m" }, "--endpoint 'ftp://x' is not an http(s) URL")]
    [TestCase(new[] { "--endpoint", "http://x" }, "--model is required")]
    [TestCase(new[] { "--endpoint", "http://x", "--model" }, "--model needs a value")]
    [TestCase(new[] { "--endpoint", "http://x", "--model", "m", "--max-iterations", "0" }, "--max-iterations must be a positive whole number (got '0')")]
    [TestCase(new[] { "--endpoint", "http://x", "--model", "m", "--time-limit", "ten" }, "--time-limit must be a positive whole number (got 'ten')")]
    [TestCase(new[] { "--endpoint", "http://x", "--model", "m", "--budget", "1" }, "unknown option '--budget'")]
    public void Bad_input_gets_a_message_naming_the_option(string[] args, string expected)
    {
        Assert.That(CustomAgentSettings.Parse(args, NoEnvironment, out var error), Is.Null);
        Assert.That(error, Is.EqualTo(expected));
    }
}
