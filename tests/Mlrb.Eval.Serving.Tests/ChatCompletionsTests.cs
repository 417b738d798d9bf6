using System.ClientModel;
using System.Text.Json.Nodes;
using Mlrb.Eval.Chat;
using Mlrb.Eval.Generation;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Mlrb.Eval.Serving.Tests;

/// <summary>/v1/models and /v1/chat/completions with the OpenAI .NET SDK as the client, over loopback.</summary>
public class ChatCompletionsTests
{
    private string _folder = null!;
    private OpenAiServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The tiny models have 40-48 positions: a compact template keeps prompt and answer inside them.
        _folder = ServerFixture.WithChatTemplate(ServerFixture.Gpt2, CompactTemplate);
        _server = await OpenAiServer.StartAsync(_folder, new OpenAiServerOptions { Port = 0, ModelId = "tiny-chat" });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private OpenAIClientOptions ClientOptions => new() { Endpoint = new Uri(_server.BaseAddress.ToString().TrimEnd('/')), NetworkTimeout = TimeSpan.FromSeconds(60) };

    private ChatClient Chat(string model = "tiny-chat") => new(model, new ApiKeyCredential("unused"), ClientOptions);

    private const string CompactTemplate = "{% for m in messages %}<{{ m.role[0] }}>{{ m.content | trim }}{% endfor %}{% if add_generation_prompt %}<a>{% endif %}";

    private static readonly ChatMessage[] Conversation = [new SystemChatMessage("Be brief."), new UserChatMessage(" Go! ")];

    [Test]
    public async Task Models_ListsTheServedModel()
    {
        var models = (await new OpenAIModelClient(new ApiKeyCredential("unused"), ClientOptions).GetModelsAsync()).Value;
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "tiny-chat" }));
        Assert.That(models[0].OwnedBy, Is.EqualTo("mlrb"));
    }

    [Test]
    public async Task Chat_RendersTheTemplate_AndMatchesTheGeneratorOnThatPrompt()
    {
        var completion = (await Chat().CompleteChatAsync(Conversation, new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12 })).Value;

        var template = ChatTemplate.Load(_folder)!;
        var prompt = template.Render(new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "Be brief." },
            new JsonObject { ["role"] = "user", ["content"] = " Go! " }));
        Assert.That(prompt, Is.EqualTo("<s>Be brief.<u>Go!<a>"));
        using var generator = TextGenerator.Load(_folder);
        var tokens = generator.Tokenizer!.Encode(prompt, addSpecialTokens: false);
        var direct = (await generator.GenerateAsync([new GenerationRequest(tokens, new GenerationOptions { MaxNewTokens = 12 })]))[0];

        Assert.That(completion.Content[0].Text, Is.EqualTo(direct.Text));
        Assert.That(completion.Role, Is.EqualTo(ChatMessageRole.Assistant));
        Assert.That(completion.Usage.InputTokenCount, Is.EqualTo(tokens.Count));
        Assert.That(completion.Usage.OutputTokenCount, Is.EqualTo(direct.TokenIds.Count));
        Assert.That(completion.FinishReason, Is.EqualTo(direct.FinishReason == GenerationFinishReason.MaxTokens ? ChatFinishReason.Length : ChatFinishReason.Stop));
    }

    [Test]
    public async Task Streaming_ConcatenatesToTheNonStreamingAnswer()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12 };
        var whole = (await Chat().CompleteChatAsync(Conversation, options)).Value.Content[0].Text;
        var streamed = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Chat().CompleteChatStreamingAsync(Conversation, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.That(streamed.ToString(), Is.EqualTo(whole));
        Assert.That(finish, Is.Not.Null);
    }

    [Test]
    public async Task UnknownModel_Is404_ThroughTheSdk()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Chat("gpt-4o").CompleteChatAsync(Conversation));
        Assert.That(ex!.Status, Is.EqualTo(404));
        Assert.That(ex.Message, Does.Contain("gpt-4o"));
    }

    [Test]
    public async Task BadTemperature_Is400_ThroughTheSdk()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Chat().CompleteChatAsync(Conversation, new ChatCompletionOptions { Temperature = 7 }));
        Assert.That(ex!.Status, Is.EqualTo(400));
        Assert.That(ex.Message, Does.Contain("temperature"));
    }

    [Test]
    public async Task Tools_WithATemplateWithoutToolSupport_AreRefusedClearly()
    {
        var options = new ChatCompletionOptions();
        options.Tools.Add(ChatTool.CreateFunctionTool("get_time", "The time.", BinaryData.FromString("""{"type":"object","properties":{}}""")));
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Chat().CompleteChatAsync(Conversation, options));
        Assert.That(ex!.Status, Is.EqualTo(400));
        Assert.That(ex.Message, Does.Contain("no tool support"));
    }

    [Test]
    public async Task ChatWithoutTemplate_Is400_SayingSo()
    {
        await using var plain = await OpenAiServer.StartAsync(ServerFixture.Gpt2, new OpenAiServerOptions { Port = 0, ModelId = "plain" });
        var client = new ChatClient("plain", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(plain.BaseAddress.ToString().TrimEnd('/')) });
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync(Conversation));
        Assert.That(ex!.Status, Is.EqualTo(400));
        Assert.That(ex.Message, Does.Contain("no chat template"));
    }
}
