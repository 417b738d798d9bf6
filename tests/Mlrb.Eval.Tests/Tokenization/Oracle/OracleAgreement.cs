using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Tests.Tokenization.Oracle;

/// <summary>Compares Mlrb's ids and decodes with the Rust tokenizers library's on a list of strings and reports every difference.</summary>
internal static class OracleAgreement
{
    /// <summary>How many strings also have their decode compared.</summary>
    private const int DecodeCount = 400;

    /// <summary>Encodes (with and without special tokens) and decodes with both, and fails with the first differences.</summary>
    /// <param name="family">Name for messages.</param>
    /// <param name="ours">Mlrb's tokenizer, loaded from the same tokenizer.json.</param>
    /// <param name="source">The oracle's view of the file: <c>{"tokenizer": path}</c> or <c>{"json": text}</c>.</param>
    /// <param name="strings">The strings.</param>
    public static void Assert(string family, ITokenizer ours, JsonObject source, IReadOnlyList<string> strings)
    {
        JsonObject Job(string op, Action<JsonObject> fill)
        {
            var job = (JsonObject)source.DeepClone();
            job["op"] = op;
            fill(job);
            return job;
        }

        JsonArray Strings() => new(strings.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        var results = RustTokenizersOracle.Run(
            Job("encode", j => { j["strings"] = Strings(); j["addSpecialTokens"] = false; }),
            Job("encode", j => { j["strings"] = Strings(); j["addSpecialTokens"] = true; }));
        var plain = results[0].Select(RustTokenizersOracle.ToInts).ToArray();
        var special = results[1].Select(RustTokenizersOracle.ToInts).ToArray();
        var decodeCount = Math.Min(DecodeCount, strings.Count);
        var decoded = RustTokenizersOracle.Run(Job("decode", j => j["ids"] = new JsonArray(plain.Take(decodeCount)
            .Select(ids => (JsonNode?)new JsonArray(ids.Select(i => (JsonNode?)i).ToArray())).ToArray())))[0]
            .Select(n => n!.GetValue<string>()).ToArray();

        var failures = new List<string>();
        var agreeing = 0;
        for (var i = 0; i < strings.Count; i++)
        {
            IReadOnlyList<int> a, b;
            try
            {
                a = ours.Encode(strings[i], addSpecialTokens: false);
                b = ours.Encode(strings[i], addSpecialTokens: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                failures.Add($"{Show(strings[i])}: ours threw {ex.Message}");
                continue;
            }

            var ok = a.SequenceEqual(plain[i]) && b.SequenceEqual(special[i]);
            if (!ok)
            {
                failures.Add($"{Show(strings[i])}: ours [{string.Join(',', a)}] / [{string.Join(',', b)}], reference [{string.Join(',', plain[i])}] / [{string.Join(',', special[i])}]");
            }
            else if (i < decodeCount && ours.Decode(a) is var text && text != decoded[i])
            {
                ok = false;
                failures.Add($"decode {Show(strings[i])}: ours {Show(text)}, reference {Show(decoded[i])}");
            }

            agreeing += ok ? 1 : 0;
        }

        TestContext.Out.WriteLine($"{family}: {agreeing}/{strings.Count} strings agree with tokenizers (Rust, via node) on ids with and without special tokens; {decodeCount} decodes compared");
        NUnit.Framework.Assert.That(failures, Is.Empty, $"{family}: {failures.Count} of {strings.Count} strings differ; first ones:\n" + string.Join("\n", failures.Take(15)));
    }

    /// <summary>A string with control characters escaped, for messages.</summary>
    /// <param name="s">The string.</param>
    /// <returns>The quoted string.</returns>
    public static string Show(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                < ' ' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
