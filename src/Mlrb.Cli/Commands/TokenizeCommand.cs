using System.CommandLine;
using System.Globalization;
using Mlrb.Cli.Commands.Tokenize;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb tokenize</c> verb: <c>--model DIR [--json] TEXT</c> encodes, <c>--ids 1,2,3</c> decodes.</summary>
internal static class TokenizeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder (tokenizer.json, vocab.json + merges.txt, or tokenizer.model).", Required = true };
        var json = new Option<bool>("--json") { Description = "Write machine-readable JSON to stdout." };
        var ids = new Option<string?>("--ids") { Description = "Decode these comma-separated token ids instead of encoding TEXT." };
        var noSpecial = new Option<bool>("--no-special-tokens") { Description = "Encode without the post-processor's special tokens (add_special_tokens=False)." };
        var skipSpecial = new Option<bool>("--skip-special-tokens") { Description = "When decoding, leave special tokens out." };
        var text = new Argument<string?>("text") { Description = "The text to encode.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("tokenize", "Show token ids as a model's tokenizer gives them (or decode ids with --ids).")
        {
            model, json, ids, noSpecial, skipSpecial, text,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var idsText = parse.GetValue(ids);
                var input = parse.GetValue(text);
                if ((idsText is null) == (input is null))
                {
                    error.WriteLine("mlrb tokenize: give either TEXT to encode or --ids to decode.");
                    return 2;
                }

                var tokenizer = TokenizerLoader.Load(parse.GetRequiredValue(model));
                var asJson = parse.GetValue(json);
                if (idsText is not null)
                {
                    var parsed = ParseIds(idsText);
                    var decoded = tokenizer.Decode(parsed, parse.GetValue(skipSpecial));
                    TokenizeOutput.WriteDecoded(output, tokenizer, parsed, decoded, asJson);
                }
                else
                {
                    var encoded = tokenizer.Encode(input!, addSpecialTokens: !parse.GetValue(noSpecial));
                    TokenizeOutput.WriteEncoded(output, tokenizer, encoded, asJson);
                }

                return 0;
            }
            catch (Exception ex) when (ex is TokenizerLoadException or FormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                error.WriteLine($"mlrb tokenize: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int[] ParseIds(string text)
    {
        var parts = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]) || result[i] < 0)
            {
                throw new FormatException($"--ids: '{parts[i]}' is not a non-negative integer token id.");
            }
        }

        return result;
    }
}
