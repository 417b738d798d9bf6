using System.Text.Json.Nodes;
using Mlrb.Eval.Chat;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Chat;

/// <summary>
/// Chat templates of several model families (Llama-2, Llama-3, Llama-3.1 with tools, Mistral, Qwen2/ChatML, Qwen2.5 with
/// tools, Gemma, Phi-3, Zephyr) and a template exercising the rest of the Jinja subset, rendered over conversations and
/// compared with Python jinja2's renderings under Hugging Face's settings (tests/reference/chat_templates.py).
/// </summary>
public class ChatTemplateJinjaTests
{
    private static readonly string Reference = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference");

    private static JsonObject Golden => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Reference, "golden", "chat-templates.json")))!;

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var c in Golden["cases"]!.AsArray().Cast<JsonObject>())
        {
            yield return new TestCaseData((string)c["template"]!, (string)c["conversation"]!, (bool)c["add_generation_prompt"]!)
                .SetArgDisplayNames((string)c["template"]!, (string)c["conversation"]!, (bool)c["add_generation_prompt"]! ? "generation-prompt" : "no-generation-prompt");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Rendering_EqualsJinja2(string template, string conversation, bool addGenerationPrompt)
    {
        var golden = Golden;
        var expected = golden["cases"]!.AsArray().Cast<JsonObject>().Single(c =>
            (string)c["template"]! == template && (string)c["conversation"]! == conversation && (bool)c["add_generation_prompt"]! == addGenerationPrompt);
        var conv = (JsonObject)golden["conversations"]![conversation]!;
        var chat = ChatTemplate.Parse(File.ReadAllText(Path.Combine(Reference, "chat-templates", template)), (string?)golden["tokens"]!["bos_token"], (string?)golden["tokens"]!["eos_token"]);

        if (expected["error"] is { } error)
        {
            var ex = Assert.Throws<ChatTemplateException>(() => chat.Render((JsonArray)conv["messages"]!.DeepClone(), addGenerationPrompt, (JsonArray?)conv["tools"]?.DeepClone()));
            Assert.That(ex!.Message, Is.EqualTo((string)error!), "the template's own raise_exception message");
            return;
        }

        var output = chat.Render((JsonArray)conv["messages"]!.DeepClone(), addGenerationPrompt, (JsonArray?)conv["tools"]?.DeepClone());
        Assert.That(output, Is.EqualTo((string)expected["output"]!));
    }

    [Test]
    public void EveryFixture_IsRenderedByTheReference_AndFiveFamiliesOrMoreAreCovered()
    {
        var rendered = Golden["cases"]!.AsArray().Select(c => (string)c!["template"]!).ToHashSet();
        var fixtures = Directory.GetFiles(Path.Combine(Reference, "chat-templates"), "*.jinja").Select(Path.GetFileName);
        Assert.That(rendered, Is.EquivalentTo(fixtures), "run /usr/bin/python3 tests/reference/chat_templates.py after adding a template");
        Assert.That(rendered.Count(t => t != "features.jinja"), Is.GreaterThanOrEqualTo(5));
    }

    [TestCase("qwen2.5-tools.jinja", true)]
    [TestCase("llama3.1-tools.jinja", true)]
    [TestCase("qwen2-chatml.jinja", false)]
    [TestCase("llama2.jinja", false)]
    public void SupportsTools_WhenTheTemplateReadsTools(string template, bool expected)
        => Assert.That(ChatTemplate.Parse(File.ReadAllText(Path.Combine(Reference, "chat-templates", template))).SupportsTools, Is.EqualTo(expected));

    [TestCase("{% if x %}never closed", "endif")]
    [TestCase("{{ 1 + }}", "line 1")]
    [TestCase("{% frobnicate %}", "frobnicate")]
    [TestCase("{{ x | nosuchfilter }}", "nosuchfilter")]
    public void BadTemplates_FailWithAMessageNamingTheProblem(string source, string fragment)
    {
        var ex = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(source).Render([]));
        Assert.That(ex!.Message, Does.Contain(fragment));
    }

    [Test]
    public void Load_ReadsTheTemplateAndSpecialTokensFromTokenizerConfig()
    {
        var folder = TestPaths.CreateTempDirectory("mlrb-chat-template");
        try
        {
            Assert.That(ChatTemplate.Load(folder), Is.Null, "no template: null");
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """
                {"bos_token": {"content": "<B>", "special": true}, "eos_token": "<E>",
                 "chat_template": [{"name": "tool_use", "template": "tools"}, {"name": "default", "template": "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}"}]}
                """);
            var template = ChatTemplate.Load(folder)!;
            Assert.That(template.Render([new JsonObject { ["role"] = "user", ["content"] = "hi" }]), Is.EqualTo("<B>hi<E>"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
