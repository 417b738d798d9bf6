using System.CommandLine;
using Mlrb.Eval.Scoring;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>--dtype fp32|bf16</c> option of the scoring verbs.</summary>
internal static class DTypeOption
{
    /// <summary>Creates the option.</summary>
    public static Option<string> Create()
        => new("--dtype")
        {
            Description = "Matrix-product arithmetic: fp32 (default, matches the harness's fp32 numbers) or bf16 (bf16 weights and inputs, fp32 accumulation; "
                + "less memory, not bit-comparable).",
            DefaultValueFactory = _ => "fp32",
        };

    /// <summary>Parses the value; throws <see cref="ArgumentException"/> naming the accepted ones.</summary>
    public static ComputeDType Parse(string? value) => value?.ToLowerInvariant() switch
    {
        "fp32" or "float32" => ComputeDType.Fp32,
        "bf16" or "bfloat16" => ComputeDType.Bf16,
        _ => throw new ArgumentException($"--dtype {value}: unknown; use fp32 or bf16."),
    };
}
