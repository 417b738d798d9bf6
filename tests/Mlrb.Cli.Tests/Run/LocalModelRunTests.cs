using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Mlrb.Eval.Chat;
using Mlrb.Eval.Generation;
using Mlrb.Eval.Serving;
using Mlrb.Eval.Tokenization;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Run;

/// <summary><c>mlrb run --endpoint</c> against <c>mlrb serve</c>'s server: refused at start without tool support, tool calls through the chat template otherwise.</summary>
public class LocalModelRunTests
{
    private static readonly string Reference = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference");

    private static string Template(string name) => File.ReadAllText(Path.Combine(Reference, "chat-templates", name));

    [Test]
    public async Task TemplateWithoutTools_IsRefusedAtStart_SayingSo()
    {
        var folder = TestPaths.CreateTempDirectory("mlrb-run-local");
        foreach (var file in Directory.GetFiles(Path.Combine(Reference, "models", "tiny-gpt2")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")))!.AsObject();
        config["chat_template"] = Template("qwen2-chatml.jinja");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString());
        await using var server = await OpenAiServer.StartAsync(folder, new OpenAiServerOptions { Port = 0 });
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-local-work");

        using var cli = new CliProcess("run", "mini_baby_lm", "--provider", "openai", "--endpoint", server.BaseAddress.ToString().TrimEnd('/'), "--workdir", workdir);
        var exit = await cli.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(exit, Is.EqualTo(2), cli.Stderr);
        Assert.That(cli.Stderr, Does.Contain("without tool support").And.Contain(server.ModelId));
        Assert.That(Directory.GetDirectories(workdir), Is.Empty, "nothing was started");
    }

    /// <summary>
    /// A scripted model behind the real server and the Qwen2.5 tools template: the agent's tools reach the model through
    /// the template, the model's <c>&lt;tool_call&gt;</c> output comes back as OpenAI tool calls, and the run submits.
    /// </summary>
    [Test]
    public async Task ToolsThroughTheChatTemplate_CarryAWholeRun()
    {
        await using var generator = new ScriptedModel(TokenizerLoader.Load(Path.Combine(Reference, "models", "tiny-gpt2")));
        await using var server = await OpenAiServer.StartAsync(generator, ChatTemplate.Parse(Template("qwen2.5-tools.jinja")), new OpenAiServerOptions { Port = 0, ModelId = "local-tools" });
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-local-tools");

        using var cli = new CliProcess("run", "mini_baby_lm", "--provider", "openai", "--endpoint", server.BaseAddress.ToString().TrimEnd('/'), "--time-limit", "10m", "--workdir", workdir, "--run-id", "local-1", "--no-eval");
        var exit = await cli.WaitAsync(TimeSpan.FromMinutes(3));

        TestContext.Out.WriteLine(cli.Stderr);
        Assert.That(exit, Is.EqualTo(0), cli.Stderr);
        Assert.That(generator.Prompts.Any(p => p.Contains("<tools>", StringComparison.Ordinal) && p.Contains("\"return_fn\"", StringComparison.Ordinal)), Is.True, "the tool definitions reached the model through the template");
        Assert.That(generator.Prompts.Any(p => p.Contains("<tool_response>", StringComparison.Ordinal)), Is.True, "a tool result went back to the model through the template");
        Assert.That(Path.Combine(workdir, "local-1", "made-by-local-model.txt"), Does.Exist, "the model's run_bash call ran in the workspace");
    }

    /// <summary>
    /// Plays an agent: with tools in the prompt, first <c>run_bash</c> then <c>return_fn</c> (by the tool calls already in the
    /// conversation); without tools, a JSON object that is both a one-step plan and an accepting review.
    /// </summary>
    private sealed class ScriptedModel(ITokenizer tokenizer) : ITextGenerator
    {
        private const string Plan = """{"rationale":"one step","steps":[{"id":1,"title":"Submit","instruction":"Make the model folder and submit it.","dependsOn":[]}],"verdict":"accept","notes":""}""";

        public System.Collections.Concurrent.ConcurrentQueue<string> Prompts { get; } = new();

        public ITokenizer? Tokenizer => tokenizer;

        public int MaxLength => 1 << 20;

        public IReadOnlyList<int> EndOfSequenceTokenIds => [];

        public Task<IReadOnlyList<GenerationResult>> GenerateAsync(IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<GenerationResult>>([.. requests.Select(Reply)]);

        public async IAsyncEnumerable<GenerationUpdate> GenerateStreamingAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var result = Reply(request);
            yield return new GenerationUpdate { Text = result.Text, Result = result };
        }

        public Task<IReadOnlyList<TokenLogprob?>> ScoreTokensAsync(IReadOnlyList<int> tokens, int topLogprobs, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private GenerationResult Reply(GenerationRequest request)
        {
            var prompt = tokenizer.Decode(request.PromptTokens!);
            Prompts.Enqueue(prompt);
            string text;
            if (!prompt.Contains("<tools>", StringComparison.Ordinal))
            {
                text = Plan;
            }
            else
            {
                var made = CountOf(prompt, "<tool_call>\n{\"name\": \"");
                text = made == 0 && !prompt.Contains("made-by-local-model", StringComparison.Ordinal)
                    ? "I will prepare the folder.\n<tool_call>\n{\"name\": \"run_bash\", \"arguments\": {\"script\": \"mkdir -p model && echo w > model/weights.txt && echo made > made-by-local-model.txt && echo made-by-local-model\"}}\n</tool_call>"
                    : "<tool_call>\n{\"name\": \"return_fn\", \"arguments\": {\"submission\": \"{\\\"val_loss\\\": 2.5}\", \"model_path\": \"model\"}}\n</tool_call>";
            }

            var ids = tokenizer.Encode(text, addSpecialTokens: false);
            return new GenerationResult { Text = text, TokenIds = ids, PromptTokenCount = request.PromptTokens!.Count, FinishReason = GenerationFinishReason.EndOfSequence };
        }

        private static int CountOf(string s, string sub)
        {
            var n = 0;
            for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
            {
                n++;
            }

            return n;
        }
    }
}
