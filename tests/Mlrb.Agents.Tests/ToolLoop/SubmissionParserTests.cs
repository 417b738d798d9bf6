using System.Text.Json;
using Mlrb.Agents.ToolLoop;

namespace Mlrb.Agents.Tests.ToolLoop;

public class SubmissionParserTests
{
    private static JsonElement J(string json) => JsonDocument.Parse(json).RootElement;

    [Test]
    public void ToolReturnedSubmission_IsTakenAsIs()
    {
        var s = SubmissionParser.TryParse(J("""{"model_path":"m"}"""), J("""{"metrics":{"acc":"0.5"},"modelPath":"/ws/m","summary":"s"}"""), out var error);

        Assert.That(error, Is.Null);
        Assert.That((s!.ModelPath, s.Metrics["acc"], s.Summary), Is.EqualTo(("/ws/m", "0.5", "s")));
    }

    [Test]
    public void ReferenceStyleArguments_GiveMetricsFromTheSubmissionText()
    {
        var s = SubmissionParser.TryParse(J("""{"model_path":"out/model","submission":"{\"val_loss\": 3.25, \"ppl\": 25.8}"}"""), null, out _);

        Assert.That(s!.ModelPath, Is.EqualTo("out/model"));
        Assert.That(s.Metrics, Is.EqualTo(new Dictionary<string, string> { ["val_loss"] = "3.25", ["ppl"] = "25.8" }));
    }

    [Test]
    public void TextWithApostrophes_IsKeptAsTheSummary()
    {
        var s = SubmissionParser.TryParse(J("""{"model_path":"m","submission":"it's done, val_loss can't go lower"}"""), null, out _);

        Assert.That(s!.Summary, Is.EqualTo("it's done, val_loss can't go lower"));
    }

    [Test]
    public void MissingModelPath_IsAnError()
    {
        Assert.That(SubmissionParser.TryParse(J("""{"submission":"x"}"""), null, out var error), Is.Null);
        Assert.That(error, Does.Contain("model_path"));
    }
}
