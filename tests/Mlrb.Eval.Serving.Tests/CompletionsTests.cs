using System.Text.Json.Nodes;
using Mlrb.Eval.Generation;
using Mlrb.Eval.Scoring;

namespace Mlrb.Eval.Serving.Tests;

/// <summary>/v1/completions over loopback, as lm-evaluation-harness's local-completions and plain OpenAI clients call it.</summary>
public class CompletionsTests
{
    private OpenAiServer _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await OpenAiServer.StartAsync(ServerFixture.Gpt2, new OpenAiServerOptions { Port = 0 });
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>
    /// The harness's loglikelihood payload (token-id prompts in a batch, echo, logprobs 1, max_tokens 1) parsed as its
    /// parse_logprobs does — sum(token_logprobs[ctxlen:-1]) and is_greedy from top_logprobs — equals the engine's scorer.
    /// </summary>
    [Test]
    public async Task EchoLogprobs_AsTheHarnessParsesThem_EqualTheScorer()
    {
        var rng = new Random(11);
        var requests = Enumerable.Range(0, 12).Select(_ =>
        {
            var ctx = Enumerable.Range(0, rng.Next(1, 20)).Select(_ => rng.Next(0, 290)).ToArray();
            var cont = Enumerable.Range(0, rng.Next(1, 8)).Select(_ => rng.Next(0, 290)).ToArray();
            return new TokenLogLikelihoodRequest(ctx, cont);
        }).ToList();

        // One greedy continuation, so is_greedy is true for at least one request.
        using (var generator = TextGenerator.Load(ServerFixture.Gpt2))
        {
            var greedy = (await generator.GenerateAsync([new GenerationRequest(requests[0].Context, new GenerationOptions { MaxNewTokens = 3, StopAtEndOfSequence = false })]))[0];
            requests[0] = new TokenLogLikelihoodRequest(requests[0].Context, [.. greedy.TokenIds]);
        }

        var (status, body) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", new
        {
            model = _server.ModelId,
            prompt = requests.Select(r => r.Context.Concat(r.Continuation).ToArray()).ToArray(),
            temperature = 0,
            max_tokens = 1,
            logprobs = 1,
            seed = 1234,
            echo = true,
        });
        Assert.That(status, Is.EqualTo(200), body.ToJsonString());

        var scorer = ModelScorer.Load(ServerFixture.Gpt2);
        var expected = await scorer.ScoreTokensAsync(requests);
        var choices = body["choices"]!.AsArray().OrderBy(c => (int)c!["index"]!).ToList();
        Assert.That(choices, Has.Count.EqualTo(requests.Count));
        var greedyCount = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            var ctxlen = requests[i].Context.Count;
            var lp = choices[i]!["logprobs"]!;
            var values = lp["token_logprobs"]!.AsArray();
            var tops = lp["top_logprobs"]!.AsArray();
            Assert.That(values, Has.Count.EqualTo(ctxlen + requests[i].Continuation.Count + 1), "prompt tokens plus the one generated");
            Assert.That(values[0], Is.Null, "the first token has no log-probability");
            var slice = Enumerable.Range(ctxlen, values.Count - 1 - ctxlen).ToList();
            var sum = slice.Sum(k => (double)values[k]!);
            var isGreedy = slice.All(k => (double)values[k]! == tops[k]!.AsObject().Max(p => (double)p.Value!));
            greedyCount += isGreedy ? 1 : 0;
            Assert.That(sum, Is.EqualTo(expected[i].LogLikelihood).Within(1e-5), $"request {i}");
            Assert.That(isGreedy, Is.EqualTo(expected[i].IsGreedy), $"request {i} is_greedy");
        }

        Assert.That(greedyCount, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task EchoWithMaxTokensZero_ReturnsThePromptAndItsLogprobsOnly()
    {
        var (status, body) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", new { prompt = "the cat sat", max_tokens = 0, echo = true, logprobs = 2 });
        Assert.That(status, Is.EqualTo(200));
        var choice = body["choices"]![0]!;
        Assert.That((string)choice["text"]!, Is.EqualTo("the cat sat"));
        var lp = choice["logprobs"]!;
        Assert.That(string.Concat(lp["tokens"]!.AsArray().Select(t => (string)t!)), Is.EqualTo("the cat sat"));
        Assert.That(lp["text_offset"]!.AsArray().Select(o => (int)o!), Is.Ordered);
        Assert.That(lp["top_logprobs"]![1]!.AsObject(), Has.Count.EqualTo(2));
        Assert.That((int)body["usage"]!["completion_tokens"]!, Is.EqualTo(0));
    }

    [Test]
    public async Task GreedyText_EqualsTheGenerator_AndStreamingConcatenatesToIt()
    {
        var payload = new { prompt = "the quick brown", max_tokens = 10, temperature = 0, stop = new[] { "zzz" } };
        var (status, body) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", payload);
        Assert.That(status, Is.EqualTo(200));
        using var generator = TextGenerator.Load(ServerFixture.Gpt2);
        var direct = (await generator.GenerateAsync([new GenerationRequest("the quick brown", new GenerationOptions { MaxNewTokens = 10, StopSequences = ["zzz"] })]))[0];
        Assert.That((string)body["choices"]![0]!["text"]!, Is.EqualTo(direct.Text));
        Assert.That((string)body["choices"]![0]!["finish_reason"]!, Is.EqualTo(direct.FinishReason == GenerationFinishReason.MaxTokens ? "length" : "stop"));

        var events = await ServerFixture.StreamAsync(_http, _server.BaseAddress, "completions", new { prompt = "the quick brown", max_tokens = 10, temperature = 0, stop = new[] { "zzz" }, stream = true, stream_options = new { include_usage = true } });
        var streamed = string.Concat(events.SelectMany(e => e["choices"]!.AsArray()).Select(c => (string)c!["text"]!));
        Assert.That(streamed, Is.EqualTo(direct.Text));
        Assert.That(events.SelectMany(e => e["choices"]!.AsArray()).Count(c => c!["finish_reason"] is not null), Is.EqualTo(1));
        Assert.That((int)events[^1]["usage"]!["completion_tokens"]!, Is.EqualTo(direct.TokenIds.Count));
    }

    [Test]
    public async Task SeededSampling_Repeats_AndNChoicesDiffer()
    {
        var payload = new { prompt = "once upon", max_tokens = 12, temperature = 1.0, seed = 42, n = 3 };
        var (_, first) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", payload);
        var (_, second) = await ServerFixture.PostAsync(_http, _server.BaseAddress, "completions", payload);
        var a = first["choices"]!.AsArray().Select(c => (string)c!["text"]!).ToList();
        var b = second["choices"]!.AsArray().Select(c => (string)c!["text"]!).ToList();
        Assert.That(a, Is.EqualTo(b), "the same seed gives the same choices");
        Assert.That(a.Distinct().Count(), Is.GreaterThan(1), "choices of one request use different seeds");
        Assert.That(first["choices"]!.AsArray().Select(c => (int)c!["index"]!), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [TestCase("""{"prompt": "a", "temperature": 5}""", 400, "temperature", null)]
    [TestCase("""{"prompt": "a", "max_tokens": -1}""", 400, "max_tokens", null)]
    [TestCase("""{"prompt": "a", "max_tokens": 1000}""", 400, "prompt", "context_length_exceeded")]
    [TestCase("""{"prompt": [[1, 2], [99999]]}""", 400, null, null)]
    [TestCase("""{"prompt": {"x": 1}}""", 400, "prompt", null)]
    [TestCase("""{"max_tokens": 3}""", 400, "prompt", null)]
    [TestCase("""{"prompt": "a", "model": "gpt-4"}""", 404, "model", "model_not_found")]
    [TestCase("""{"prompt": "a", "presence_penalty": 0.5}""", 400, "presence_penalty", null)]
    [TestCase("""{"prompt": "a", "stop": 3}""", 400, "stop", null)]
    [TestCase("""[1, 2]""", 400, null, null)]
    [TestCase("""{"prompt": "a",""", 400, null, null)]
    public async Task BadRequests_GetOpenAiErrorBodies(string json, int expectedStatus, string? param, string? code)
    {
        var (status, body) = await ServerFixture.PostRawAsync(_http, _server.BaseAddress, "completions", json);
        Assert.That(status, Is.EqualTo(expectedStatus), body.ToJsonString());
        var error = body["error"]!.AsObject();
        Assert.That((string)error["message"]!, Is.Not.Empty);
        Assert.That((string)error["type"]!, Is.Not.Empty);
        Assert.That((string?)error["param"], Is.EqualTo(param));
        if (code is not null)
        {
            Assert.That((string?)error["code"], Is.EqualTo(code));
        }
    }

    [Test]
    public async Task UnknownRoutes_AndWrongMethods_GetErrorBodies()
    {
        using var missing = await _http.GetAsync(new Uri(_server.BaseAddress, "embeddings"));
        Assert.That((int)missing.StatusCode, Is.EqualTo(404));
        Assert.That(JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"], Is.Not.Null);
        using var wrong = await _http.GetAsync(new Uri(_server.BaseAddress, "completions"));
        Assert.That((int)wrong.StatusCode, Is.AnyOf(404, 405));
        Assert.That(JsonNode.Parse(await wrong.Content.ReadAsStringAsync())!["error"], Is.Not.Null);
    }
}
