namespace Mlrb.Eval.Serving.Tests;

/// <summary>Tool calls in the output formats chat templates ask for.</summary>
public class ToolCallParserTests
{
    [Test]
    public void HermesTags_AreParsed_AndTheRestIsContent()
    {
        var parsed = ToolCallParser.Parse("Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>{\"name\": \"now\", \"arguments\": {}}</tool_call>");
        Assert.That(parsed.Calls.Select(c => c.Name), Is.EqualTo(new[] { "get_weather", "now" }));
        Assert.That(parsed.Calls[0].Arguments, Is.EqualTo("""{"city":"Paris"}"""));
        Assert.That(parsed.Content, Is.EqualTo("Let me check."));
    }

    [TestCase("""{"name": "f", "parameters": {"x": 1}}""")]
    [TestCase("""<|python_tag|>{"name": "f", "parameters": {"x": 1}}""")]
    [TestCase("""[TOOL_CALLS] [{"name": "f", "arguments": {"x": 1}}]""")]
    public void BareJson_LlamaAndMistralForms_AreParsed(string output)
    {
        var parsed = ToolCallParser.Parse(output);
        Assert.That(parsed.Calls, Has.Count.EqualTo(1));
        Assert.That(parsed.Calls[0].Name, Is.EqualTo("f"));
        Assert.That(parsed.Calls[0].Arguments, Is.EqualTo("""{"x":1}"""));
        Assert.That(parsed.Content, Is.Empty);
    }

    [TestCase("Just text.")]
    [TestCase("{not json")]
    [TestCase("""{"answer": 42}""")]
    public void OrdinaryText_HasNoCalls(string output)
    {
        var parsed = ToolCallParser.Parse(output);
        Assert.That(parsed.Calls, Is.Empty);
        Assert.That(parsed.Content, Is.EqualTo(output));
    }
}
