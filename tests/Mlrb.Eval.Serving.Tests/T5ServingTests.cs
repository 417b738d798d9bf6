using System.Text.Json.Nodes;
using Mlrb.Testing;

namespace Mlrb.Eval.Serving.Tests;

/// <summary>
/// <c>mlrb serve</c> over an encoder-decoder (tiny T5, greedy continuations from tests/reference/generation.py): completions
/// from token ids and text, stop strings, streaming, its limits, and what it refuses (echoed prompt log-probabilities, chat
/// without a template).
/// </summary>
public class T5ServingTests
{
    private OpenAiServer _server = null!;
    private HttpClient _http = null!;
    private JsonObject _golden = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var root = TestPaths.RepositoryRoot;
        _golden = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "tests", "reference", "golden", "generation-tiny-t5.json")))!.AsObject();
        _server = await OpenAiServer.StartAsync(Path.Combine(root, "tests", "reference", "models", "tiny-t5"), new OpenAiServerOptions { Port = 0 });
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Completions_FromTokenIds_AreTheReferencesGreedyContinuations()
    {
        var cases = _golden["greedy"]!.AsArray();
        var (status, body) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", new
        {
            model = _server.ModelId,
            prompt = cases.Select(c => c!["prompt"]!.AsArray().Select(t => (int)t!).ToArray()).ToArray(),
            max_tokens = (int)_golden["new_tokens"]!,
            temperature = 0,
        });

        Assert.That(status, Is.EqualTo(200), body.ToJsonString());
        var choices = body["choices"]!.AsArray().OrderBy(c => (int)c!["index"]!).ToList();
        Assert.That(choices, Has.Count.EqualTo(cases.Count));
        for (var i = 0; i < cases.Count; i++)
        {
            // The reference decoded without stopping at </s> (id 1); none of these continuations contains it.
            Assert.That(cases[i]!["tokens"]!.AsArray().Select(t => (int)t!), Has.None.EqualTo(1), "regenerate the golden: a case ends at EOS");
            Assert.That((string)choices[i]!["text"]!, Is.EqualTo((string)cases[i]!["text"]!), $"case {i}");
            Assert.That((string)choices[i]!["finish_reason"]!, Is.EqualTo("length"));
        }

        Assert.That((int)body["usage"]!["completion_tokens"]!, Is.GreaterThan(0));
        Assert.That((int)body["usage"]!["prompt_tokens"]!, Is.EqualTo(cases.Sum(c => c!["prompt"]!.AsArray().Count)), "prompt tokens are the encoder's input");
    }

    [Test]
    public async Task Completions_StopStringSpanningTokens_CutsWhereTheHarnessDoes_StreamedOrNot()
    {
        var stop = _golden["stop_cases"]!.AsArray()[0]!;
        var prompt = stop["prompt"]!.AsArray().Select(t => (int)t!).ToArray();
        var request = new { model = _server.ModelId, prompt, max_tokens = 16, temperature = 0, stop = new[] { (string)stop["stop"]! } };

        var (status, body) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", request);
        Assert.That(status, Is.EqualTo(200), body.ToJsonString());
        Assert.That((string)body["choices"]![0]!["text"]!, Is.EqualTo((string)stop["text"]!));
        Assert.That((string)body["choices"]![0]!["finish_reason"]!, Is.EqualTo("stop"));

        var events = await ServerFixture.StreamAsync(_http, _server.BaseAddress, "completions", new
        {
            model = _server.ModelId, prompt, max_tokens = 16, temperature = 0, stop = new[] { (string)stop["stop"]! }, stream = true,
        });
        var streamed = string.Concat(events.Select(e => (string?)e["choices"]?.AsArray().FirstOrDefault()?["text"] ?? string.Empty));
        Assert.That(streamed, Is.EqualTo((string)stop["text"]!));
    }

    [Test]
    public async Task Completions_FromText_EchoWithoutLogprobs_PrependsThePrompt()
    {
        var (status, body) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", new
        {
            model = _server.ModelId, prompt = "the cat sat on the mat", max_tokens = 5, temperature = 0, echo = true,
        });
        Assert.That(status, Is.EqualTo(200), body.ToJsonString());
        Assert.That((string)body["choices"]![0]!["text"]!, Does.StartWith("the cat sat on the mat"));
    }

    [Test]
    public async Task EchoWithLogprobs_IsRefused_BecauseAnEncoderDecoderHasNoPromptLogprobs()
    {
        var (status, body) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", new
        {
            model = _server.ModelId, prompt = new[] { 22, 27, 59, 1 }, max_tokens = 0, logprobs = 1, echo = true,
        });

        Assert.That(status, Is.EqualTo(400));
        var error = body["error"]!;
        Assert.That((string)error["type"]!, Is.EqualTo("invalid_request_error"));
        Assert.That((string)error["param"]!, Is.EqualTo("echo"));
        Assert.That((string)error["message"]!, Does.Contain("encoder-decoder"));
    }

    [Test]
    public async Task Logprobs_WithoutEcho_AreTheCompletionsOwn()
    {
        var (status, body) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", new
        {
            model = _server.ModelId, prompt = new[] { 22, 27, 59, 1 }, max_tokens = 4, logprobs = 2, temperature = 0,
        });

        Assert.That(status, Is.EqualTo(200), body.ToJsonString());
        var values = body["choices"]![0]!["logprobs"]!["token_logprobs"]!.AsArray();
        Assert.That(values, Has.Count.EqualTo(4));
        Assert.That(values.Select(v => (double)v!), Has.All.LessThanOrEqualTo(0));
    }

    [Test]
    public async Task Limits_AreTheEncodersAndTheDecodersSeparately()
    {
        var maxLength = (int)_golden["max_length"]!;

        // A prompt filling the encoder with a completion as long as the decoder allows is fine (a decoder-only model would refuse it).
        var (ok, okBody) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", new
        {
            model = _server.ModelId, prompt = Enumerable.Repeat(5, maxLength).ToArray(), max_tokens = maxLength - 1, temperature = 0,
        });
        Assert.That(ok, Is.EqualTo(200), okBody.ToJsonString());

        var (longPrompt, promptBody) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", new
        {
            model = _server.ModelId, prompt = Enumerable.Repeat(5, maxLength + 1).ToArray(), max_tokens = 1,
        });
        Assert.That(longPrompt, Is.EqualTo(400));
        Assert.That((string)promptBody["error"]!["code"]!, Is.EqualTo("context_length_exceeded"));
        Assert.That((string)promptBody["error"]!["message"]!, Does.Contain("encoder"));

        var (longOutput, outputBody) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", new
        {
            model = _server.ModelId, prompt = new[] { 5, 1 }, max_tokens = maxLength,
        });
        Assert.That(longOutput, Is.EqualTo(400));
        Assert.That((string)outputBody["error"]!["param"]!, Is.EqualTo("max_tokens"));
    }

    [Test]
    public async Task Chat_WithoutAChatTemplate_IsTheClearError()
    {
        var (status, body) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "chat/completions", new
        {
            model = _server.ModelId, messages = new[] { new { role = "user", content = "hi" } },
        });

        Assert.That(status, Is.EqualTo(400));
        Assert.That((string)body["error"]!["code"]!, Is.EqualTo("chat_template_missing"));
    }
}
