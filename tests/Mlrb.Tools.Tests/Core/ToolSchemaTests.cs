using System.Text.Json;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Tests.Core;

public class ToolSchemaTests
{
    private static readonly ToolSchema Schema = new(
        new ToolParameter("path", ParameterKind.String, "p", true) { NonEmpty = true },
        new ToolParameter("mode", ParameterKind.String, "m", false) { AllowedValues = ["a", "b"] },
        new ToolParameter("n", ParameterKind.Integer, "n", false) { Minimum = 1, Maximum = 10 },
        new ToolParameter("flag", ParameterKind.Boolean, "f", false));

    private static string? Validate(string json) => Schema.Validate("t", JsonDocument.Parse(json).RootElement);

    [Test]
    public void Json_ListsPropertiesTypesAndRequired()
    {
        var s = Schema.Json;
        Assert.That(s.GetProperty("type").GetString(), Is.EqualTo("object"));
        Assert.That(s.GetProperty("properties").GetProperty("n").GetProperty("type").GetString(), Is.EqualTo("integer"));
        Assert.That(s.GetProperty("properties").GetProperty("mode").GetProperty("enum").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(s.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "path" }));
        Assert.That(s.GetProperty("additionalProperties").GetBoolean(), Is.False);
    }

    [Test]
    public void ValidArguments_Pass() => Assert.That(Validate("""{"path":"x","mode":"a","n":3,"flag":true}"""), Is.Null);

    [TestCase("""{}""", "missing required argument 'path'")]
    [TestCase("""{"path":""}""", "'path' must not be empty")]
    [TestCase("""{"path":5}""", "'path' must be a string, not a number")]
    [TestCase("""{"path":"x","mode":"c"}""", "'mode' must be one of 'a', 'b', not 'c'")]
    [TestCase("""{"path":"x","n":"3"}""", "'n' must be an integer, not a string")]
    [TestCase("""{"path":"x","n":2.5}""", "'n' must be an integer")]
    [TestCase("""{"path":"x","n":11}""", "'n' must be between 1 and 10, not 11")]
    [TestCase("""{"path":"x","flag":"yes"}""", "'flag' must be true or false")]
    [TestCase("""{"path":"x","extra":1}""", "unknown argument 'extra'")]
    [TestCase("""[1]""", "must be a JSON object, not an array")]
    public void InvalidArguments_AreNamed(string json, string expected)
    {
        var problem = Validate(json);
        Assert.That(problem, Does.Contain(expected));
        Assert.That(problem, Does.StartWith("t: "));
    }

    [Test]
    public void NullArguments_CountAsEmptyObject() =>
        Assert.That(Schema.Validate("t", default), Does.Contain("missing required argument 'path'"));
}
