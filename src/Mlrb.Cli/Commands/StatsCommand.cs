using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Cli.Commands.Eval;
using Mlrb.Eval.Models.Adapters;
using Mlrb.Eval.Reports;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Statistics;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb stats</c> verb.</summary>
internal static class StatsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder.", Required = true };
        var noForward = new Option<bool>("--no-forward") { Description = "Skip the forward pass (weights statistics only)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var adapter = ModelSource.AdapterOption();
        var baseModel = ModelSource.BaseOption();
        var command = new Command("stats", "Model statistics: total / trainable / non-zero parameters, dtypes, bytes, peak memory of a forward pass.")
        {
            model, adapter, baseModel, noForward, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return CtrlC.Run(
                error,
                ct => RunAsync(ModelSource.Resolve(parse.GetValue(model)!, parse.GetValue(adapter), parse.GetValue(baseModel)), !parse.GetValue(noForward), parse.GetValue(json), output, error, ct),
                "stats");
        });
        return command;
    }

    private static string NonFiniteRow(Mlrb.Eval.Statistics.ModelStatistics stats)
        => stats.NonFiniteValues is not { } n ? "n/a"
            : n == 0 ? "0"
            : $"{n.ToString("N0", CultureInfo.InvariantCulture)} in {string.Join(", ", stats.NonFiniteByTensor.Keys.Take(3))}{(stats.NonFiniteByTensor.Count > 3 ? ", ..." : "")}";

    private static async Task<int> RunAsync(ModelSource source, bool forward, bool asJson, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var model = source.Model;
        var stats = ModelInspector.Inspect(model);
        var adapterStats = source.Adapter is null ? null : AdapterFolder.Inspect(source.Adapter);
        string forwardNote;
        if (forward)
        {
            try
            {
                var scorer = ScorerFactory.Create(model, null, source.Adapter);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await scorer.ScoreTokensAsync([new TokenLogLikelihoodRequest([0], [0])], null, ct).ConfigureAwait(false);
                forwardNote = $"one forward pass in {clock.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms";
                (scorer as IDisposable)?.Dispose();
            }
            catch (Exception ex) when (ex is InvalidOperationException or Mlrb.Eval.Models.ModelFormatException or NotSupportedException)
            {
                forwardNote = "no forward pass: " + ex.Message;
            }
        }
        else
        {
            forwardNote = "no forward pass (--no-forward)";
        }

        if (NonFinite.DescribeWeights(stats) is { } broken)
        {
            await error.WriteLineAsync($"mlrb stats: warning: {broken}; this model cannot be scored.").ConfigureAwait(false);
        }

        var peak = PeakMemory.CurrentProcessPeakBytes();
        var c = CultureInfo.InvariantCulture;
        if (asJson)
        {
            var json = new JsonObject
            {
                ["model"] = model,
                ["sha256"] = ModelFingerprint.Compute(model),
                ["total_parameters"] = stats.TotalParameters,
                ["trainable_parameters"] = stats.TrainableParameters,
                ["non_trainable_parameters"] = stats.NonTrainableParameters,
                ["non_zero_parameters"] = stats.NonZeroParameters,
                ["buffer_elements"] = stats.BufferElements,
                ["non_finite_values"] = stats.NonFiniteValues,
                ["non_finite_tensors"] = new JsonObject(stats.NonFiniteByTensor.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["weight_bytes"] = stats.WeightBytes,
                ["dtypes"] = new JsonObject(stats.ParametersByDType.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["only_fp16_or_fp32"] = stats.OnlyFp16OrFp32,
                ["peak_process_memory_bytes"] = peak,
                ["forward"] = forwardNote,
            };
            if (adapterStats is not null)
            {
                json["base_parameters"] = stats.TotalParameters;
                json["adapter"] = new JsonObject
                {
                    ["path"] = source.Adapter,
                    ["sha256"] = ModelFingerprint.Compute(source.Adapter!),
                    ["parameters"] = adapterStats.Parameters,
                    ["lora_modules"] = adapterStats.LoraModules,
                    ["r"] = adapterStats.Rank,
                    ["lora_alpha"] = adapterStats.Alpha,
                    ["use_rslora"] = adapterStats.UseRsLora,
                    ["target_modules"] = new JsonArray(adapterStats.TargetModules.Select(m => (JsonNode?)m).ToArray()),
                    ["modules_to_save"] = new JsonArray(adapterStats.ModulesToSave.Select(m => (JsonNode?)m).ToArray()),
                };
            }

            output.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        var rows = new List<(string, string)>
        {
            ("Total Parameters", stats.TotalParameters.ToString("N0", c)),
            ("Trainable Parameters", stats.TrainableParameters.ToString("N0", c)),
            ("Non-Trainable Parameters", stats.NonTrainableParameters.ToString("N0", c)),
            ("Non-Zero Parameters", stats.NonZeroParameters?.ToString("N0", c) ?? "n/a"),
            ("Non-Finite Values", NonFiniteRow(stats)),
            ("Weight Bytes", $"{stats.WeightBytes.ToString("N0", c)} ({ReportTable.Size(stats.WeightBytes)})"),
            ("DTypes", string.Join(", ", stats.ParametersByDType.Select(kv => $"{kv.Key} {kv.Value.ToString("N0", c)}"))),
            ("FP16/FP32 Only", stats.OnlyFp16OrFp32 ? "yes" : "no"),
            ("Peak Process Memory", ReportTable.Size(peak)),
            ("Forward Pass", forwardNote),
        };
        if (adapterStats is not null)
        {
            rows.InsertRange(1, new (string, string)[]
            {
                ("Base Parameters", stats.TotalParameters.ToString("N0", c)),
                ("Adapter Parameters", adapterStats.Parameters.ToString("N0", c)),
                ("Adapter", $"{source.Adapter}: LoRA r={adapterStats.Rank}, alpha={adapterStats.Alpha.ToString(c)}{(adapterStats.UseRsLora ? " (rsLoRA)" : string.Empty)}, "
                    + $"{adapterStats.LoraModules} modules [{string.Join(", ", adapterStats.TargetModules)}]"
                    + (adapterStats.ModulesToSave.Count > 0 ? $", saved whole: [{string.Join(", ", adapterStats.ModulesToSave)}]" : string.Empty)),
            });
        }

        output.Write(MetricTable.Render(rows, $"Model statistics: {model}"));
        return 0;
    }
}
