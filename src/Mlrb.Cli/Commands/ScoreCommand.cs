using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mlrb.Eval.Models;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Cli.Commands;

/// <summary>
/// The <c>mlrb score</c> verb: one log-likelihood request on a Hugging Face model folder, as text
/// (<c>--context</c>/<c>--continuation</c>) or as token ids (<c>--context-tokens</c>/<c>--continuation-tokens</c>, for folders without a tokenizer).
/// Exit codes: 0 scored, 1 the model or request could not be scored, 2 bad arguments.
/// </summary>
internal static class ScoreCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json + model.safetensors).", Required = true };
        var context = new Option<string?>("--context") { Description = "Context text (may be empty: BOS/EOS is then the context)." };
        var continuation = new Option<string?>("--continuation") { Description = "Continuation text whose log-likelihood is summed." };
        var contextTokens = new Option<string?>("--context-tokens") { Description = "Context token ids, comma-separated (e.g. 1,2,3)." };
        var continuationTokens = new Option<string?>("--continuation-tokens") { Description = "Continuation token ids, comma-separated." };
        var json = new Option<bool>("--json") { Description = "Print {loglikelihood, is_greedy, context_tokens, continuation_tokens} as JSON." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores)." };
        var dtype = DTypeOption.Create();
        var adapter = ModelSource.AdapterOption();
        var baseModel = ModelSource.BaseOption();
        var requests = new Option<string?>("--requests") { Description = "Score a JSON file of requests ([[context ids], [continuation ids]] or {\"context\", \"continuation\"} items) and print one JSON object with the results and timings." };
        var warmup = new Option<int>("--warmup") { Description = "With --requests: score the first N requests once before timing.", DefaultValueFactory = _ => 0 };
        var device = DeviceOption.Create();

        var command = new Command("score", "Score one log-likelihood request, or a file of them (lm-evaluation-harness semantics).")
        {
            model, adapter, baseModel, context, continuation, contextTokens, continuationTokens, json, threads, dtype, requests, warmup, device,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var isTokens = parse.GetValue(contextTokens) is not null || parse.GetValue(continuationTokens) is not null;
            var isText = parse.GetValue(context) is not null || parse.GetValue(continuation) is not null;
            if (parse.GetValue(requests) is { } requestFile)
            {
                if (isTokens || isText)
                {
                    await error.WriteLineAsync("mlrb score: --requests replaces --context/--continuation and their token forms; give one or the other.").ConfigureAwait(false);
                    return 2;
                }

                return await ScoreFileAsync(parse, model, adapter, baseModel, threads, dtype, device, warmup, requestFile, output, error, cancellationToken).ConfigureAwait(false);
            }

            if (isTokens == isText)
            {
                await error.WriteLineAsync("mlrb score: give either --context and --continuation (text) or --context-tokens and --continuation-tokens (ids).").ConfigureAwait(false);
                return 2;
            }

            try
            {
                var source = ModelSource.Resolve(parse.GetValue(model)!, parse.GetValue(adapter), parse.GetValue(baseModel));
                DeviceOption.CheckAndAnnounce(parse.GetValue(device)!, error);

                var scorer = ModelScorer.Load(source.Model, new ModelScorerOptions { Threads = parse.GetValue(threads), Adapter = source.Adapter, DType = DTypeOption.Parse(parse.GetValue(dtype)), Device = parse.GetValue(device)! });
                LogLikelihoodResult result;
                if (isTokens)
                {
                    var ctx = ParseIds(parse.GetValue(contextTokens), "--context-tokens");
                    var cont = ParseIds(parse.GetValue(continuationTokens), "--continuation-tokens");
                    result = (await scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest(ctx, cont)], cancellationToken: cancellationToken).ConfigureAwait(false))[0];
                }
                else
                {
                    var request = new LogLikelihoodRequest(parse.GetValue(context) ?? string.Empty, parse.GetValue(continuation) ?? string.Empty);
                    result = (await scorer.ScoreAsync([request], cancellationToken: cancellationToken).ConfigureAwait(false))[0];
                }

                if (!double.IsFinite(result.LogLikelihood))
                {
                    var weights = Eval.NonFinite.FindInModel(parse.GetValue(model)!);
                    var why = weights is null ? "the model's activations overflowed" : weights;
                    await error.WriteLineAsync($"mlrb score: the request's log-likelihood is {Eval.NonFinite.Format(result.LogLikelihood)}, not a score: {why}.").ConfigureAwait(false);
                    return 1;
                }

                await output.WriteLineAsync(parse.GetValue(json) ? ToJson(result) : ToText(result)).ConfigureAwait(false);
                return 0;
            }
            catch (UsageException ex)
            {
                await error.WriteLineAsync($"mlrb score: {ex.Message}").ConfigureAwait(false);
                return 2;
            }
            catch (Exception ex) when (ex is ModelFormatException or TokenizerLoadException or ArgumentException or IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"mlrb score: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> ScoreFileAsync(
        ParseResult parse, Option<string> model, Option<string?> adapter, Option<string?> baseModel, Option<int?> threads, Option<string> dtype,
        Option<string> device, Option<int> warmup, string requestFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            DeviceOption.CheckAndAnnounce(parse.GetValue(device)!, error);

            var source = ModelSource.Resolve(parse.GetValue(model)!, parse.GetValue(adapter), parse.GetValue(baseModel));
            var options = new ModelScorerOptions { Threads = parse.GetValue(threads), DType = DTypeOption.Parse(parse.GetValue(dtype)), Device = parse.GetValue(device)! };
            await Score.ScoreFileRunner.RunAsync(source.Model, source.Adapter, requestFile, options, Math.Max(0, parse.GetValue(warmup)), output, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is ModelFormatException or TokenizerLoadException or ArgumentException or IOException or InvalidOperationException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
        {
            await error.WriteLineAsync($"mlrb score: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static int[] ParseIds(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]))
            {
                throw new UsageException($"{option}: '{parts[i]}' is not a token id (expected comma-separated non-negative integers).");
            }
        }

        return ids;
    }

    private static string ToJson(LogLikelihoodResult r)
        => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["loglikelihood"] = r.LogLikelihood,
            ["is_greedy"] = r.IsGreedy,
            ["context_tokens"] = r.ContextTokens,
            ["continuation_tokens"] = r.ContinuationTokens,
        });

    private static string ToText(LogLikelihoodResult r)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"loglikelihood: {r.LogLikelihood:R}\nis_greedy: {(r.IsGreedy ? "true" : "false")}\ncontext_tokens: {r.ContextTokens}\ncontinuation_tokens: {r.ContinuationTokens}");

    private sealed class UsageException(string message) : Exception(message);
}
