using System.Text.Json;
using Mlrb.Agents.ToolLoop;

namespace Mlrb.Agents.Tests.ToolLoop;

public class ToolArgumentValidatorTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","additionalProperties":false,
         "properties":{"path":{"type":"string","minLength":1},"action":{"type":"string","enum":["read","write"]},
                       "timeout":{"type":"integer","minimum":1,"maximum":3600},"tags":{"type":"array","items":{"type":"string"}}},
         "required":["path","action"]}
        """).RootElement;

    private static IReadOnlyList<string> Check(string json) => ToolArgumentValidator.Validate(Schema, JsonDocument.Parse(json).RootElement);

    [Test]
    public void ValidArguments_HaveNoErrors()
        => Assert.That(Check("""{"path":"a.txt","action":"read","timeout":30,"tags":["x"]}"""), Is.Empty);

    [Test]
    public void EveryProblem_IsReportedWithItsPath()
    {
        var errors = Check("""{"path":"","action":"delete","timeout":2.5,"tags":[1],"extra":true}""");

        Assert.That(errors, Is.EquivalentTo(new[]
        {
            "$.path: must have at least 1 characters",
            "$.action: must be one of [\"read\",\"write\"]",
            "$.timeout: expected integer, got number",
            "$.tags[0]: expected string, got number",
            "$.extra: unknown property (allowed: path, action, timeout, tags)",
        }));
    }

    [Test]
    public void MissingRequiredAndOutOfRange_AreReported()
    {
        var errors = Check("""{"timeout":0}""");

        Assert.That(errors, Is.EquivalentTo(new[] { "$.path: required property is missing", "$.action: required property is missing", "$.timeout: must be at least 1" }));
    }

    [Test]
    public void NonObjectArguments_AreRejected()
        => Assert.That(Check("[1,2]"), Is.EqualTo(new[] { "$: expected object, got array" }));
}
