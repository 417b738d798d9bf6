using System.Text.Json;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tasks.Tests.ToolCalls;

public class ToolArgumentValidatorTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","additionalProperties":false,
         "properties":{"path":{"type":"string","minLength":1},"action":{"type":"string","enum":["read","write"]},
                       "timeout":{"type":"integer","minimum":1,"maximum":3600},"tags":{"type":"array","items":{"type":"string"}},
                       "metrics":{"type":"object","additionalProperties":{"type":["string","number"]}},
                       "note":{"type":["string","null"],"maxLength":5}},
         "required":["path","action"]}
        """).RootElement;

    private static IReadOnlyList<string> Check(string json) => ToolArgumentValidator.Validate(Schema, JsonDocument.Parse(json).RootElement);

    [Test]
    public void ValidArguments_HaveNoProblems()
        => Assert.That(Check("""{"path":"a.txt","action":"read","timeout":30,"tags":["x"],"metrics":{"loss":2.5,"name":"m"},"note":null}"""), Is.Empty);

    [Test]
    public void EveryProblem_IsReportedNamingTheArgument()
    {
        var problems = Check("""{"path":"","action":"delete","timeout":2.5,"tags":[1],"metrics":{"a":{}},"note":"too long","extra":true}""");

        Assert.That(problems, Is.EquivalentTo(new[]
        {
            "'path' must not be empty",
            "'action' must be one of 'read', 'write', not 'delete'",
            "'timeout' must be an integer, not a number",
            "'tags[0]' must be a string, not a number",
            "'metrics.a' must be a string or a number, not an object",
            "'note' must have at most 5 characters, not 8",
            "unknown argument 'extra' (allowed: path, action, timeout, tags, metrics, note)",
        }));
    }

    [Test]
    public void MissingRequiredAndOutOfRange_AreReported()
    {
        var problems = Check("""{"timeout":0,"action":null}""");

        Assert.That(problems, Is.EquivalentTo(new[]
        {
            "missing required argument 'path' (a string)",
            "missing required argument 'action' (a string)",
            "'timeout' must be between 1 and 3600, not 0",
        }));
    }

    [Test]
    public void NonObjectArguments_AreRejected_AndNullCountsAsEmpty()
    {
        Assert.That(Check("[1,2]"), Is.EqualTo(new[] { "the arguments must be a JSON object, not an array" }));
        Assert.That(ToolArgumentValidator.Validate(Schema, default), Does.Contain("missing required argument 'path' (a string)"));
    }

    [Test]
    public void Describe_StartsWithTheToolName_OrIsNullWhenValid()
    {
        Assert.That(ToolArgumentValidator.Describe("write_code", Schema, JsonDocument.Parse("""{"path":"a","action":"read"}""").RootElement), Is.Null);
        Assert.That(
            ToolArgumentValidator.Describe("write_code", Schema, JsonDocument.Parse("""{"path":3,"action":"read"}""").RootElement),
            Is.EqualTo("write_code: invalid arguments: 'path' must be a string, not a number."));
    }

    [Test]
    public void UnknownKeywords_NeverRejectACall()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"x":{"$ref":"#/$defs/x","format":"uri"}},"$defs":{"x":{"type":"string"}}}""").RootElement;

        Assert.That(ToolArgumentValidator.Validate(schema, JsonDocument.Parse("""{"x":5,"y":1}""").RootElement), Is.Empty);
    }
}
