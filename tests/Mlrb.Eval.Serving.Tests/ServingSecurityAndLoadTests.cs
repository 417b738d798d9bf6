using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Mlrb.Eval.Generation;
using Mlrb.Eval.Tokenization;
using OpenAI;
using OpenAI.Models;

namespace Mlrb.Eval.Serving.Tests;

/// <summary>API keys and hosts, client disconnects, the concurrency limit, and a load test.</summary>
public class ServingSecurityAndLoadTests
{
    [Test]
    public void NonLoopbackHost_WithoutApiKey_IsRefusedAtStart()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OpenAiServerOptions { Host = "0.0.0.0" }.Validate());
        Assert.That(ex!.Message, Does.Contain("--api-key"));
        Assert.DoesNotThrow(() => new OpenAiServerOptions { Host = "0.0.0.0", ApiKey = "k" }.Validate());
        Assert.DoesNotThrow(() => new OpenAiServerOptions { Host = "::1" }.Validate());
        Assert.DoesNotThrow(() => new OpenAiServerOptions { Host = "localhost" }.Validate());
    }

    [Test]
    public async Task ApiKey_IsRequiredAsBearer()
    {
        await using var server = await OpenAiServer.StartAsync(ServerFixture.Gpt2, new OpenAiServerOptions { Port = 0, ApiKey = "s3cret" });
        var endpoint = new Uri(server.BaseAddress.ToString().TrimEnd('/'));
        var wrong = new OpenAIModelClient(new ApiKeyCredential("nope"), new OpenAIClientOptions { Endpoint = endpoint });
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => wrong.GetModelsAsync());
        Assert.That(ex!.Status, Is.EqualTo(401));
        Assert.That(ex.Message, Does.Contain("API key"));

        using var http = new HttpClient();
        using var anonymous = await http.PostAsync(new Uri(server.BaseAddress, "completions"), new StringContent("""{"prompt":"a"}"""));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var right = new OpenAIModelClient(new ApiKeyCredential("s3cret"), new OpenAIClientOptions { Endpoint = endpoint });
        Assert.That((await right.GetModelsAsync()).Value, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ClientDisconnect_CancelsItsGeneration()
    {
        await using var generator = new EndlessGenerator();
        await using var server = await OpenAiServer.StartAsync(generator, null, new OpenAiServerOptions { Port = 0 });
        using var http = new HttpClient();
        using (var cts = new CancellationTokenSource())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "completions")) { Content = new StringContent("""{"prompt":[1,2],"max_tokens":100000,"stream":true}""") };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
            Assert.That(await reader.ReadLineAsync(cts.Token), Does.StartWith("data: "));
            await generator.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await cts.CancelAsync();
        }

        // The connection is gone: the server cancels the generation it was streaming.
        Assert.That(await generator.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.True);
    }

    [Test]
    public async Task OverTheConcurrencyLimit_Requests_Get429()
    {
        await using var generator = new EndlessGenerator();
        await using var server = await OpenAiServer.StartAsync(generator, null, new OpenAiServerOptions { Port = 0, MaxConcurrentRequests = 1 });
        using var http = new HttpClient();
        using var cts = new CancellationTokenSource();
        var first = http.PostAsync(new Uri(server.BaseAddress, "completions"), new StringContent("""{"prompt":[1],"max_tokens":100000}"""), cts.Token);
        await generator.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var (status, body) = await ServerFixture.PostRawAsync(http, server.BaseAddress, "completions", """{"prompt":[1],"max_tokens":1}""");
        Assert.That(status, Is.EqualTo(429));
        Assert.That((string?)body["error"]!["code"], Is.EqualTo("rate_limit_exceeded"));
        await cts.CancelAsync();
        await Assert.CatchAsync<OperationCanceledException>(() => first);
    }

    /// <summary>A few hundred concurrent short requests: every one answered 200 with its own completion, memory bounded.</summary>
    [Test]
    public async Task LoadTest_ConcurrentShortRequests_NoneLost_MemoryBounded()
    {
        const int requests = 300;
        await using var server = await OpenAiServer.StartAsync(ServerFixture.Gpt2, new OpenAiServerOptions { Port = 0 }, new TextGeneratorOptions { MaxBatchSequences = 32 });
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = requests };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(5) };

        // Warm up once, then measure.
        await ServerFixture.PostAsync(http, server.BaseAddress, "completions", new { prompt = "warm", max_tokens = 2 });
        GC.Collect();
        var before = Process.GetCurrentProcess().WorkingSet64;
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, requests).Select(i => ServerFixture.PostAsync(http, server.BaseAddress, "completions", new
        {
            prompt = $"request number {i} says",
            max_tokens = 4,
            temperature = 0.8,
            seed = i,
            echo = i % 3 == 0,
            logprobs = i % 5 == 0 ? 1 : (int?)null,
        })).ToList();
        var results = await Task.WhenAll(tasks);
        clock.Stop();
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        GC.Collect();
        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);

        Assert.That(results.Count(r => r.Status == 200), Is.EqualTo(requests), "every request answered 200");
        var ids = results.Select(r => (string)r.Body["id"]!).ToHashSet();
        Assert.That(ids, Has.Count.EqualTo(requests), "each request got its own completion");
        Assert.That(results.All(r => (int)r.Body["usage"]!["completion_tokens"]! is > 0 and <= 4), Is.True);
        for (var i = 0; i < requests; i += 3)
        {
            Assert.That((string)results[i].Body["choices"]![0]!["text"]!, Does.StartWith($"request number {i} says"), "echo kept each request's own prompt");
        }

        Assert.That(managedAfter - managedBefore, Is.LessThan(64L << 20), "managed memory returns to its level after the burst");
        TestContext.Progress.WriteLine(
            $"load test: {requests} concurrent requests (max_tokens 4) in {clock.Elapsed.TotalSeconds:0.00} s ({requests / clock.Elapsed.TotalSeconds:0} req/s); " +
            $"working set {before >> 20} MiB before, peak {peak >> 20} MiB; managed heap {managedBefore >> 20} -> {managedAfter >> 20} MiB after GC");
    }

    /// <summary>A generator that streams tokens until cancelled, recording when it starts and when it is cancelled.</summary>
    private sealed class EndlessGenerator : ITextGenerator
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ITokenizer? Tokenizer => null;

        public int MaxLength => 1 << 20;

        public IReadOnlyList<int> EndOfSequenceTokenIds => [];

        public async Task<IReadOnlyList<GenerationResult>> GenerateAsync(IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            await foreach (var _ in GenerateStreamingAsync(requests[0], cancellationToken))
            {
            }

            throw new InvalidOperationException("unreachable");
        }

        public async IAsyncEnumerable<GenerationUpdate> GenerateStreamingAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            using var registration = cancellationToken.Register(() => Cancelled.TrySetResult(true));
            while (true)
            {
                await Task.Delay(20, cancellationToken);
                yield return new GenerationUpdate { Text = "x", TokenId = 1 };
            }
        }

        public Task<IReadOnlyList<TokenLogprob?>> ScoreTokensAsync(IReadOnlyList<int> tokens, int topLogprobs, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
