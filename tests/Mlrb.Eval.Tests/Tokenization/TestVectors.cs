namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>Reads llama.cpp-style test vectors: inputs separated by <c>\n__ggml_vocab_test__\n</c>, one line of ids per input.</summary>
internal static class TestVectors
{
    private const string Separator = "\n__ggml_vocab_test__\n";

    public static IReadOnlyList<(string Text, int[] Ids)> Read(string inputPath, string outputPath)
    {
        var text = File.ReadAllText(inputPath, System.Text.Encoding.UTF8);
        var inputs = text.Split(Separator);
        Assert.That(inputs[^1], Is.Empty, "the input file ends with a separator");
        var lines = File.ReadAllLines(outputPath);
        Assert.That(lines, Has.Length.EqualTo(inputs.Length - 1), "one output line per input");
        return lines.Select((line, i) => (inputs[i], line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())).ToList();
    }
}
