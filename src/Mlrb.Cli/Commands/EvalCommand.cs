using System.CommandLine;
using Mlrb.Cli.Commands.Eval;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb eval</c> verb.</summary>
internal static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var task = new Option<string?>("--task") { Description = "Task whose benchmark to run (llm_efficiency, baby_lm, mini_pile, ...)." };
        var benchmark = new Option<string?>("--benchmark") { Description = "Run one benchmark directly: blimp, superglue or mmlu." };
        var model = new Option<string?>("--model") { Description = "Hugging Face model folder (config.json + *.safetensors + tokenizer)." };
        var run = new Option<string?>("--run") { Description = "Score (or re-score) the submission of this stored run, in a child process, and store the result with the run. With --shard I/N: score that shard of it into <workdir>/<run-id>-eval-shards (store it with mlrb eval merge --run)." };
        var db = new Option<string?>("--db") { Description = "With --run: the " + StoreLocations.Help + "runs/mlrb.db." };
        var timeout = new Option<string>("--timeout") { Description = "With --run: time limit of the scoring child process, e.g. 4h.", DefaultValueFactory = _ => "4h" };
        var memoryLimit = new Option<string?>("--memory-limit") { Description = "With --run: memory limit of the scoring child process, e.g. 16GB (default: twice the task's device-memory limit plus 2 GB)." };
        var data = new Option<string>("--data") { Description = "Benchmark data folder (layout: docs/eval-benchmarks.md).", DefaultValueFactory = _ => "data" };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N documents of every subtask." };
        var shots = new Option<int?>("--shots", "--num-fewshot") { Description = "Few-shot examples per document (harness default 0)." };
        var output = new Option<string>("--out", "--output") { Description = "Folder for results/<task>-<model>-<utc>.json.", DefaultValueFactory = _ => "results" };
        var fixMultiRc = new Option<bool>("--fix-multirc") { Description = "Score MultiRC with the correct gold instead of the harness's inverted one." };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first bad row or missing file." };
        var maxRow = new Option<int>("--max-row-bytes") { Description = "Largest data row read, in bytes; longer rows are reported as bad rows (default 4194304).", DefaultValueFactory = _ => 4 << 20 };
        var lean = new Option<string?>("--lean") { Description = "math_reasoning: the lean executable used for the pass rate." };
        var leanTimeout = new Option<int>("--lean-timeout") { Description = "math_reasoning: seconds per Lean check.", DefaultValueFactory = _ => 60 };
        var predictions = new Option<string?>("--predictions") { Description = "math_reasoning: JSONL of {prediction, reference}; default <model>/predictions.jsonl." };
        var device = DeviceOption.Create();
        var dtype = DTypeOption.Create();
        var adapter = ModelSource.AdapterOption();
        var baseModel = ModelSource.BaseOption();
        var threads = new Option<int?>("--threads") { Description = "CPU threads for the engine (default: all cores)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table." };
        var html = new Option<string?>("--html") { Description = "Also write the report as one self-contained HTML file (inline CSS and SVG charts; opens offline)." };
        var tasksDir = new Option<string[]>("--tasks-dir") { Description = "A folder of task files (*.yaml, *.yml, *.json) whose tasks --task may name; repeatable.", AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };
        var split = new Option<string>("--split") { Description = "test (the final score) or validation (MMLU val, MathQA dev: what the agent's evaluate tool uses).", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "validation");
        var shard = new Option<string?>("--shard") { Description = "Score only shard I of N (0-based, e.g. 0/4) and write a partial report; combine with `mlrb eval merge`." };

        var command = new Command("eval", "Score a model the way a task is scored (BLiMP, SuperGLUE, MMLU as lm-evaluation-harness does; BLEU/ROUGE-L/Lean for math_reasoning).")
        {
            task, benchmark, model, adapter, baseModel, data, limit, shots, output, fixMultiRc, strict, maxRow, lean, leanTimeout, predictions, device, threads, dtype, json, html, tasksDir, split, shard, run, db, timeout, memoryLimit,
        };
        command.Subcommands.Add(EvalMergeCommand.Create());
        command.SetAction(parse =>
        {
            var store = StoreLocations.Resolve(parse.GetValue(db), Path.Combine("runs", "mlrb.db"));
            if (parse.GetValue(run) is { } runId && parse.GetValue(shard) is null)
            {
                return CtrlC.Run(parse.InvocationConfiguration.Error, ct => RunEvalRunner.RunAsync(
                    runId,
                    store,
                    new Scoring.ScoringSettings
                    {
                        DataDirectory = parse.GetValue(data)!,
                        TaskDirectories = [.. (parse.GetValue(tasksDir) ?? []).Select(Path.GetFullPath)],
                        Timeout = Run.DurationParser.TryParse(parse.GetValue(timeout)!, out var t) ? t : throw new ArgumentException($"--timeout: '{parse.GetValue(timeout)}' is not a duration such as 4h or 30m."),
                        MemoryLimitBytes = parse.GetValue(memoryLimit) is { } m ? (Scoring.ByteSizeParser.TryParse(m, out var bytes) ? bytes : throw new ArgumentException($"--memory-limit: '{m}' is not a size such as 16GB.")) : null,
                        Limit = parse.GetValue(limit),
                        Threads = parse.GetValue(threads),
                    },
                    parse.GetValue(json),
                    parse.InvocationConfiguration.Output,
                    parse.InvocationConfiguration.Error,
                    ct), "eval");
            }

            if (parse.GetValue(model) is null && parse.GetValue(run) is null)
            {
                parse.InvocationConfiguration.Error.WriteLine("mlrb eval: give --model <dir> (with --task or --benchmark), or --run <run-id>.");
                return 1;
            }

            Mlrb.Eval.Benchmarks.EvaluationShard? shardValue = null;
            if (parse.GetValue(shard) is { } shardText)
            {
                try
                {
                    shardValue = Mlrb.Eval.Benchmarks.EvaluationShard.Parse(shardText);
                }
                catch (ArgumentException ex)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"mlrb eval: {ex.Message}");
                    return 1;
                }
            }

            var settings = new EvalSettings
            {
                Task = parse.GetValue(task),
                Benchmark = parse.GetValue(benchmark),
                Model = parse.GetValue(model) ?? string.Empty,
                Adapter = parse.GetValue(adapter),
                Base = parse.GetValue(baseModel),
                Data = parse.GetValue(data)!,
                Limit = parse.GetValue(limit),
                Shots = parse.GetValue(shots),
                Output = parse.GetValue(output)!,
                FixMultiRc = parse.GetValue(fixMultiRc),
                Strict = parse.GetValue(strict),
                MaxRowBytes = parse.GetValue(maxRow),
                Lean = parse.GetValue(lean),
                LeanTimeoutSeconds = parse.GetValue(leanTimeout),
                Predictions = parse.GetValue(predictions),
                Device = parse.GetValue(device)!,
                Threads = parse.GetValue(threads),
                DType = parse.GetValue(dtype)!,
                Json = parse.GetValue(json),
                Html = parse.GetValue(html),
                TaskDirectories = parse.GetValue(tasksDir) ?? [],
                Shard = shardValue,
                Split = parse.GetValue(split) == "validation" ? Mlrb.Eval.Benchmarks.EvaluationSplit.Validation : Mlrb.Eval.Benchmarks.EvaluationSplit.Test,
            };
            var outWriter = parse.InvocationConfiguration.Output;
            var errWriter = parse.InvocationConfiguration.Error;
            if (parse.GetValue(run) is { } shardedRun)
            {
                // --run ID --shard I/N: one shard of a stored run's submission, for an evaluation array (mlrb bench --emit … --shards N).
                return CtrlC.Run(errWriter, ct => RunShardEval.ScoreShardAsync(shardedRun, store, settings, outWriter, errWriter, ct), "eval");
            }

            return CtrlC.Run(errWriter, ct => EvalRunner.RunAsync(settings, outWriter, errWriter, ct), "eval");
        });
        return command;
    }
}
