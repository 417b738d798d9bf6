using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Cli.Commands.Eval;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Data;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb data</c> verb: describe the data layout, verify a folder, download the official releases.</summary>
internal static class DataCommand
{
    private const string Layout = """
        Data folder layout (each file: original release format or a Hugging Face split exported as JSON lines):
          blimp/<UID>.jsonl                   BLiMP paradigms (alexwarstadt/blimp data/, or nyu-mll/blimp train split)
          mmlu/dev/<subject>_dev.csv          MMLU few-shot pool (headerless CSV question,A,B,C,D,answer_letter)
          mmlu/test/<subject>_test.csv        MMLU evaluation set   (or mmlu/<subject>/{dev,test}.jsonl from cais/mmlu)
          superglue/<Task>/val.jsonl          SuperGLUE v2 release: BoolQ CB COPA MultiRC ReCoRD RTE WiC WSC
          superglue/<Task>/train.jsonl        few-shot pool          (or validation.jsonl/train.jsonl from aps/super_glue)
        See docs/eval-benchmarks.md. 'mlrb data download <benchmark>' needs network access to the publishers' servers.
        """;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("data", "Benchmark data: describe the layout, verify a folder, download the official releases.");
        command.Subcommands.Add(Describe());
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Download());
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(Layout);
            return 0;
        });
        return command;
    }

    private static Command Describe()
    {
        var command = new Command("describe", "Print the data folder layout and where each release comes from.");
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine(Layout);
            foreach (var benchmark in new[] { BenchmarkKind.Blimp, BenchmarkKind.Mmlu, BenchmarkKind.SuperGlue })
            {
                var files = DataReleases.For(benchmark);
                output.WriteLine($"{BenchmarkNaming.Name(benchmark)}: {files.Count} file(s), e.g. {files[0].Url}");
            }

            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var dir = new Option<string>("--dir") { Description = "The data folder.", DefaultValueFactory = _ => "data" };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("verify", "Read every benchmark file in a data folder and report what is present, missing or malformed.") { dir, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var folder = parse.GetValue(dir)!;
            if (!Directory.Exists(folder))
            {
                error.WriteLine($"mlrb data: data folder not found: {folder}");
                return 1;
            }

            var inventory = DataInventory.Inspect(folder);
            if (parse.GetValue(json))
            {
                var array = new JsonArray(inventory.Select(i => (JsonNode)new JsonObject
                {
                    ["benchmark"] = BenchmarkNaming.Name(i.Benchmark),
                    ["present_subtasks"] = i.PresentSubtasks,
                    ["missing_subtasks"] = new JsonArray(i.MissingSubtasks.Select(m => (JsonNode)m).ToArray()),
                    ["documents"] = i.Documents,
                    ["issues"] = new JsonArray(i.Issues.Select(x => (JsonNode)x.ToString()).ToArray()),
                }).ToArray());
                output.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                var rows = inventory.Select(i => ($"{BenchmarkNaming.Name(i.Benchmark)}", $"{i.PresentSubtasks} subtask(s), {i.Documents} document(s), {i.MissingSubtasks.Count} missing, {i.Issues.Count} bad row(s)")).ToList();
                output.Write(MetricTable.Render(rows, $"Data in {folder}"));
                foreach (var issue in inventory.SelectMany(i => i.Issues).Take(20))
                {
                    output.WriteLine("  " + issue);
                }
            }

            return inventory.Any(i => i.Issues.Count > 0) ? 2 : 0;
        });
        return command;
    }

    private static Command Download()
    {
        var benchmark = new Argument<string>("benchmark") { Description = "blimp, superglue or mmlu." };
        var dir = new Option<string>("--dir") { Description = "The data folder.", DefaultValueFactory = _ => "data" };
        var mirror = new Option<string?>("--mirror") { Description = "Fetch from this base URL (mirror path: blimp/<UID>.jsonl, mmlu/data.tar, superglue/<Task>.zip)." };
        var command = new Command("download", "Download an official benchmark release (needs network access; resumable; SHA-256 recorded in downloads.json and checked on later runs).")
        {
            benchmark, dir, mirror,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return CtrlC.Run(error, async ct =>
            {
                var name = parse.GetValue(benchmark)!;
                if (!BenchmarkNaming.TryParse(name, out var kind))
                {
                    throw new ArgumentException($"unknown benchmark '{name}'; use blimp, superglue or mmlu.");
                }

                var mirrorValue = parse.GetValue(mirror);
                var mirrorUri = mirrorValue is null ? null : new Uri(mirrorValue.EndsWith('/') ? mirrorValue : mirrorValue + "/");
                using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
                try
                {
                    var fetched = await DataInstaller.InstallAsync(kind, parse.GetValue(dir)!, http, mirrorUri, line => output.WriteLine(line), ct).ConfigureAwait(false);
                    output.WriteLine($"{fetched.Count} file(s) in {parse.GetValue(dir)}");
                    return 0;
                }
                catch (HttpRequestException ex)
                {
                    throw new InvalidOperationException($"download failed ({ex.Message}); this command needs network access to the publishers' servers or a --mirror.", ex);
                }
            }, "data");
        });
        return command;
    }
}
