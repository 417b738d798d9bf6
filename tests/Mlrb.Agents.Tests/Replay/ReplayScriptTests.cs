using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Middleware;
using Mlrb.Agents.Replay;
using Mlrb.Agents.Tests.Doubles;
using Mlrb.Tasks.Storage;
using Moq;

namespace Mlrb.Agents.Tests.Replay;

public class ReplayScriptTests
{
    private const string Script = """
        # comment lines and blank lines are skipped

        {"tool": "write_code", "arguments": {"path": "a.py", "code": "print(1)"}}
        {"agent": "worker-2", "text": "second worker", "tool_calls": [{"id": "c9", "name": "run_python", "arguments": {"filepath": "a.py"}}], "usage": {"input_tokens": 7, "output_tokens": 3}}
        {"agent": "supervisor", "text": "{\"verdict\":\"retry\",\"notes\":\"scripted\"}"}
        {"text": "just text"}
        """;

    [Test]
    public void Parse_ReadsBothLineForms()
    {
        var script = ReplayScript.Parse(Script, "s.jsonl");

        Assert.That(script.Turns, Has.Count.EqualTo(4));
        Assert.That(script.Turns[0].Agent, Is.Null);
        Assert.That(script.Turns[0].ToolCalls.Single().Name, Is.EqualTo("write_code"));
        Assert.That(script.Turns[0].ToolCalls.Single().Arguments.GetProperty("code").GetString(), Is.EqualTo("print(1)"));
        Assert.That(script.Turns[1].Agent, Is.EqualTo("worker-2"));
        Assert.That((script.Turns[1].InputTokens, script.Turns[1].OutputTokens), Is.EqualTo((7L, 3L)));
        Assert.That(script.Turns[1].ToolCalls.Single().Id, Is.EqualTo("c9"));
        Assert.That(script.Turns[3].Text, Is.EqualTo("just text"));
    }

    [TestCase("{\"agent\": \"worker-1\"}", "s.jsonl:2: a turn needs 'text', 'tool' or 'tool_calls'")]
    [TestCase("{\"tool_calls\": [{\"arguments\": {}}]}", "s.jsonl:2: a tool call needs a 'name'")]
    [TestCase("{\"tool\": \"x\", \"arguments\": [1]}", "s.jsonl:2: 'arguments' must be an object")]
    [TestCase("not json", "s.jsonl:2:")]
    [TestCase("[1, 2]", "s.jsonl:2: each line must be a JSON object")]
    public void Parse_BadLine_NamesFileAndLine(string line, string message)
    {
        var ex = Assert.Throws<FormatException>(() => ReplayScript.Parse("{\"text\": \"ok\"}\n" + line, "s.jsonl"));
        Assert.That(ex!.Message, Does.StartWith(message));
    }

    [Test]
    public void Load_MissingFile_SaysWhichFile()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => ReplayScript.Load("/nonexistent/replay.jsonl"));
        Assert.That(ex!.Message, Does.Contain("/nonexistent/replay.jsonl"));
    }

    [Test]
    public void SaveAndLoad_RoundTrip()
    {
        var script = ReplayScript.Parse(Script);
        var path = Path.Combine(Mlrb.Testing.TestPaths.CreateTempDirectory("mlrb-replay"), "t.jsonl");

        script.Save(path);
        var again = ReplayScript.Load(path);

        Assert.That(again.ToJsonLines(), Is.EqualTo(script.ToJsonLines()));
        Assert.That(File.ReadAllText(path), Does.Contain("\"code\":\"print(1)\"").And.Contain("{\\\"verdict\\\":\\\"retry\\\"").And.Not.Contain("\\u0022"), "JSON is written without needless escapes");
    }

    [Test]
    public async Task ChatClient_AnswersEachAgentFromItsQueue_ThenFromTheSharedOne_ThenWithText()
    {
        using var client = ReplayScript.Parse(Script).AsChatClient();

        async Task<ChatResponse> Ask(string agent, ChatOptions? options = null)
        {
            using var scope = AgentCallScope.Enter("r", agent);
            return await client.GetResponseAsync([new ChatMessage(ChatRole.User, "go")], options);
        }

        var w2 = await Ask("worker-2");
        var call = w2.Messages.Single().Contents.OfType<FunctionCallContent>().Single();
        Assert.That((call.CallId, call.Name, w2.Text, w2.Usage!.InputTokenCount), Is.EqualTo(("c9", "run_python", "second worker", (long?)7)));

        var w1 = await Ask("worker-1");
        var generated = w1.Messages.Single().Contents.OfType<FunctionCallContent>().Single();
        Assert.That(generated.Name, Is.EqualTo("write_code"));
        Assert.That(generated.CallId, Does.StartWith("replay_"));
        Assert.That(((JsonElement)generated.Arguments!["path"]!).GetString(), Is.EqualTo("a.py"));

        var review = await Ask("supervisor", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("{}").RootElement, "review") });
        Assert.That(review.Text, Does.Contain("retry"), "the scripted supervisor turn");
        var defaultReview = await Ask("supervisor", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("{}").RootElement, "review") });
        Assert.That(defaultReview.Text, Does.Contain("accept"));
        var defaultPlan = await Ask("supervisor", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("{}").RootElement, "research_plan") });
        Assert.That(defaultPlan.Text, Does.Contain("\"steps\""));

        Assert.That((await Ask("worker-3")).Text, Is.EqualTo("just text"));
        Assert.That((await Ask("worker-3")).Text, Does.Contain("no more turns"));
    }

    [Test]
    public async Task RecordedRun_ExportsAndReplays_ToTheSameToolCallsAndTokens()
    {
        var original = new AgentHarness(call => call switch
        {
            { IsPlanning: true } => Reply.Plan((1, "Write and submit", [])),
            { Agent: "worker-1" } when !call.ToolResults.Any() => Reply.Calls(("write_code", new { path = "t.txt", content = "hello" })),
            _ => Reply.Calls(("return_fn", new { model_path = "model", submission = "{\"loss\": 2}" })),
        });
        var writes = new List<string>();
        AIFunction Write(string workspace) => AIFunctionFactory.Create(
            (string path, string content) =>
            {
                writes.Add(workspace);
                File.WriteAllText(Path.Combine(workspace, path), content);
                return "written";
            },
            "write_code");
        var first = await original.CreateAgent().RunAsync(original.Request([Write(original.Workspace)]));
        var script = ReplayScript.FromTranscript(await original.Store.GetMessagesAsync("run-1"));

        var replayed = new AgentHarness(_ => throw new InvalidOperationException("the replay must not reach the scripted model"));
        replayed.Factory.Setup(f => f.Create(It.IsAny<ModelOptions>())).Returns(() => script.AsChatClient());
        var second = await replayed.CreateAgent().RunAsync(replayed.Request([Write(replayed.Workspace)], "replay-1"));

        Assert.That(second.Status, Is.EqualTo(RunStatus.Completed), second.StopReason);
        Assert.That(second.Submission, Is.EqualTo(first.Submission).Using<Mlrb.Tasks.Runs.Submission>((a, b) => a.ModelPath == b.ModelPath && a.Metrics.SequenceEqual(b.Metrics)));
        Assert.That(File.ReadAllText(Path.Combine(replayed.Workspace, "t.txt")), Is.EqualTo("hello"), "the real tool ran again");
        Assert.That((second.InputTokens, second.OutputTokens), Is.EqualTo((first.InputTokens, first.OutputTokens)), "recorded usage is replayed");
        var tools = (await replayed.Store.GetStepsAsync("replay-1")).Where(s => s.Kind == "tool").Select(s => s.Tool);
        Assert.That(tools, Is.EqualTo(new[] { "write_code", "return_fn" }));
        Assert.That(script.Turns.Select(t => t.Agent).Distinct(), Is.EquivalentTo(new[] { "supervisor", "worker-1" }));
    }
}
