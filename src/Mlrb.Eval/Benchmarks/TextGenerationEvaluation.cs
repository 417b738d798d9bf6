using System.Diagnostics;
using Mlrb.Eval.Data;
using Mlrb.Eval.Generation;
using Mlrb.Eval.Metrics;
using Mlrb.Tasks;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// Scores generated text for <c>math_reasoning</c>: corpus BLEU (sacrebleu defaults, reported /100), ROUGE-L F1 and, when
/// a Lean executable is configured, the share of generations that compile. The headline score is
/// <see cref="ScoreFormula"/>. Text comes from the submitted model (<see cref="RunFromModelAsync"/>) or, for users who
/// generate elsewhere, from a predictions file (<see cref="RunAsync"/>), and the report says which.
/// </summary>
public static class TextGenerationEvaluation
{
    /// <summary>The subtask name used in reports.</summary>
    public const string SubtaskName = "math_reasoning";

    /// <summary>The headline score, defined once: the unweighted mean of the three metrics on a 0–1 scale.</summary>
    public const string ScoreFormula = "(bleu + rouge_l + lean_pass_rate) / 3, BLEU on a 0-1 scale; without a Lean checker lean_pass_rate counts as 0";

    /// <summary>The label of model-generated text in reports.</summary>
    public const string ModelSource = "model";

    /// <summary>The label of predictions-file text in reports.</summary>
    public const string PredictionsFileSource = "predictions_file";

    private const int GenerationChunk = 16;

    /// <summary>
    /// Generates a completion for each held-out item with the submitted model (lm-evaluation-harness <c>generate_until</c>:
    /// greedy, contexts without special tokens, the spec's stop strings plus EOS, <see cref="GenerationSpec.MaxNewTokens"/>),
    /// then scores the generations against the references.
    /// </summary>
    /// <param name="generator">The submitted model.</param>
    /// <param name="spec">The task's generation spec (held-out part, prompt template, limits).</param>
    /// <param name="dataDirectory">The evaluation data folder (it holds <c>spec.DataFolder</c>).</param>
    /// <param name="lean">The Lean checker; an unset executable counts the pass rate as 0 and says so.</param>
    /// <param name="limit">Score only the first N items (at most <see cref="GenerationSpec.Items"/>).</param>
    /// <param name="strict">Throw on the first bad row.</param>
    /// <param name="progress">Progress per generated item, then per Lean check.</param>
    /// <param name="cancellationToken">Stops; the items finished so far are scored and the result is partial.</param>
    /// <returns>The scores and every item.</returns>
    public static async Task<BenchmarkResult> RunFromModelAsync(
        ITextGenerator generator,
        GenerationSpec spec,
        string dataDirectory,
        LeanOptions lean,
        int? limit = null,
        bool strict = false,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(lean);
        var log = new DataIssueLog(strict);
        var (items, description) = GenerationPromptSet.Load(dataDirectory, spec, limit, log);
        var options = GenerationOptions.HarnessGenerateUntil(spec.StopSequences, spec.MaxNewTokens);
        var clock = Stopwatch.StartNew();
        var results = new List<GenerationResult>();
        var partial = false;
        try
        {
            for (var first = 0; first < items.Count; first += GenerationChunk)
            {
                var chunk = items.Skip(first).Take(GenerationChunk).Select(i => new GenerationRequest(i.Prompt, options)).ToList();
                results.AddRange(await generator.GenerateAsync(chunk, cancellationToken: cancellationToken).ConfigureAwait(false));
                progress?.Report(new EvaluationProgress(results.Count, items.Count, clock.Elapsed));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            partial = true;
        }

        var generationTime = clock.Elapsed;
        var samples = results.Select((r, i) => new GeneratedSample
        {
            Index = i,
            Source = items[i].Source,
            Name = items[i].Name,
            Prompt = items[i].Prompt,
            Generation = r.Text,
            Reference = items[i].Reference,
            Bleu = 0,
            RougeL = 0,
            GeneratedTokens = r.TokenIds.Count,
            FinishReason = FinishName(r.FinishReason),
        }).ToList();
        var notes = new List<string>
        {
            $"source: {ModelSource} (the submitted model generated every item: greedy, max_new_tokens {spec.MaxNewTokens}, stop at EOS and [{string.Join(", ", spec.StopSequences.Select(Quote))}], prompts encoded without special tokens as lm-evaluation-harness's generate_until does)",
            $"items: the first {items.Count} of {description}",
        };
        var truncated = results.Count(r => r.TruncatedPromptTokens > 0);
        if (truncated > 0)
        {
            notes.Add($"{truncated} prompt(s) were longer than the model's context minus max_new_tokens and lost their start (left truncation, as the harness does)");
        }

        if (partial)
        {
            notes.Add($"generation was cancelled after {samples.Count} of {items.Count} items; the metrics cover those");
        }

        if (samples.Count == 0)
        {
            throw new OperationCanceledException("cancelled before any item was generated.", cancellationToken);
        }

        var result = await ScoreAsync(samples, lean, log, notes, progress, partial, cancellationToken).ConfigureAwait(false);
        return result with
        {
            TotalRequests = items.Count,
            TokensScored = results.Sum(r => (long)r.TokenIds.Count),
            ScoringTime = generationTime,
        };
    }

    /// <summary>
    /// Scores a predictions file: JSON lines with <c>prediction</c> and <c>reference</c> (or <c>formal_proof</c>, the
    /// field of the task's autoformalization data). The report labels the text as not generated by Mlrb.
    /// </summary>
    /// <param name="predictionsPath">The predictions file.</param>
    /// <param name="lean">The Lean checker; an unset executable counts the pass rate as 0 and says so.</param>
    /// <param name="limit">Score only the first N rows.</param>
    /// <param name="strict">Throw on the first bad row.</param>
    /// <param name="progress">Progress per Lean check.</param>
    /// <param name="cancellationToken">Stops the Lean checks; the result is then partial.</param>
    /// <returns>The scores.</returns>
    public static async Task<BenchmarkResult> RunAsync(
        string predictionsPath,
        LeanOptions lean,
        int? limit = null,
        bool strict = false,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lean);
        var log = new DataIssueLog(strict);
        var rows = JsonlFile.Read(predictionsPath, log, static (r, line) =>
            (Line: line, Prediction: r.String("prediction"), Reference: r.Has("reference") ? r.String("reference") : r.String("formal_proof")));
        if (limit is { } n)
        {
            rows = rows.Take(n).ToList();
        }

        if (rows.Count == 0)
        {
            throw new BenchmarkDataException(predictionsPath, 0, "no predictions to score");
        }

        var samples = rows.Select((r, i) => new GeneratedSample
        {
            Index = i,
            Source = $"{predictionsPath}:{r.Line}",
            Generation = r.Prediction,
            Reference = r.Reference,
            Bleu = 0,
            RougeL = 0,
        }).ToList();
        var notes = new List<string> { $"source: {PredictionsFileSource} ({predictionsPath}; generated outside Mlrb, not by the model folder)" };
        return await ScoreAsync(samples, lean, log, notes, progress, partial: false, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BenchmarkResult> ScoreAsync(
        List<GeneratedSample> samples, LeanOptions lean, DataIssueLog log, List<string> notes, IProgress<EvaluationProgress>? progress, bool partial, CancellationToken cancellationToken)
    {
        var predictions = samples.Select(s => s.Generation).ToList();
        var references = samples.Select(s => s.Reference).ToList();
        for (var i = 0; i < samples.Count; i++)
        {
            samples[i] = samples[i] with
            {
                Bleu = CorpusBleu.Compute([predictions[i]], [references[i]]).Score / 100.0,
                RougeL = RougeL.F1(predictions[i], references[i]),
            };
        }

        var metrics = new List<MetricValue>
        {
            new("bleu", CorpusBleu.Compute(predictions, references).Score / 100.0, null),
            MeanMetric("rouge_l", samples.Select(s => s.RougeL).ToList()),
        };
        var clock = Stopwatch.StartNew();
        var checker = new LeanChecker(lean);
        double passRate = 0;
        if (checker.Available)
        {
            var passes = new List<double>();
            try
            {
                for (var i = 0; i < samples.Count; i++)
                {
                    var check = await checker.CheckAsync(samples[i].Generation, cancellationToken).ConfigureAwait(false);
                    samples[i] = samples[i] with { LeanPassed = check.Passed, LeanTimedOut = check.TimedOut, LeanOutput = check.Output };
                    passes.Add(check.Passed ? 1 : 0);
                    progress?.Report(new EvaluationProgress(passes.Count, samples.Count, clock.Elapsed));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                partial = true;
                notes.Add($"lean_pass_rate covers the first {passes.Count} of {samples.Count} items (cancelled)");
            }

            if (passes.Count > 0)
            {
                metrics.Add(MeanMetric("lean_pass_rate", passes));
                passRate = passes.Average();
            }

            var timedOut = samples.Count(s => s.LeanTimedOut);
            if (timedOut > 0)
            {
                notes.Add($"lean: {timedOut} item(s) timed out after {lean.Timeout.TotalSeconds:0.#} s and count as failures");
            }
        }
        else
        {
            notes.Add("lean_pass_rate: unavailable (no Lean executable configured; pass --lean PATH); it counts as 0 in the score");
        }

        var subtask = new SubtaskResult(SubtaskName, SubtaskName, samples.Count, metrics);
        var score = (metrics[0].Value + metrics[1].Value + passRate) / 3.0;
        return new BenchmarkResult
        {
            Benchmark = BenchmarkKind.TextGeneration,
            Subtasks = [subtask],
            Aggregates = [new AggregateResult(SubtaskName, score, null, ScoreFormula)],
            DataIssues = log.Issues,
            Notes = notes,
            Partial = partial,
            Generations = samples,
            RequestsScored = samples.Count,
            TotalRequests = samples.Count,
            ScoringTime = clock.Elapsed,
        };
    }

    private static string FinishName(GenerationFinishReason reason) => reason switch
    {
        GenerationFinishReason.EndOfSequence => "end_of_sequence",
        GenerationFinishReason.StopSequence => "stop_sequence",
        GenerationFinishReason.MaxTokens => "max_tokens",
        _ => "context_full",
    };

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    private static MetricValue MeanMetric(string name, IReadOnlyList<double> items)
    {
        var se = SampleStatistics.MeanStderr(items);
        return new MetricValue(name, SampleStatistics.Mean(items), double.IsNaN(se) ? null : se);
    }
}
