using Mlrb.Tasks.Loading;

namespace Mlrb.Tasks.Tests.Loading;

public class DurationTextTests
{
    [TestCase("24h", 24 * 60)]
    [TestCase("8h", 8 * 60)]
    [TestCase("1h30m", 90)]
    [TestCase("1h 30m", 90)]
    [TestCase("90m", 90)]
    [TestCase("2d", 2 * 24 * 60)]
    [TestCase("1.5h", 90)]
    [TestCase("08:00:00", 8 * 60)]
    [TestCase("1.00:00:00", 24 * 60)]
    public void TryParse_ReadsTheUsualForms(string text, int minutes)
    {
        Assert.That(DurationText.TryParse(text, out var value), Is.True);
        Assert.That(value, Is.EqualTo(TimeSpan.FromMinutes(minutes)));
    }

    [TestCase("")]
    [TestCase("soon")]
    [TestCase("24")]
    [TestCase("24hours")]
    [TestCase("0h")]
    [TestCase("h")]
    [TestCase("-1h")]
    [TestCase("24h and more")]
    public void TryParse_RejectsTheRest(string text)
    {
        Assert.That(DurationText.TryParse(text, out _), Is.False);
    }

    [TestCase(24 * 60, "24h", "24 hours")]
    [TestCase(90, "1h30m", "1 hour 30 minutes")]
    [TestCase(1, "1m", "1 minute")]
    [TestCase(3 * 24 * 60, "72h", "72 hours")]
    public void Formats_RoundTrip(int minutes, string compact, string words)
    {
        var value = TimeSpan.FromMinutes(minutes);

        Assert.That(DurationText.ToCompact(value), Is.EqualTo(compact));
        Assert.That(DurationText.ToWords(value), Is.EqualTo(words));
        Assert.That(DurationText.TryParse(compact, out var back) && back == value, Is.True);
    }

    [Test]
    public void Seconds_AreKept()
    {
        Assert.That(DurationText.ToCompact(TimeSpan.FromSeconds(45)), Is.EqualTo("45s"));
        Assert.That(DurationText.ToWords(TimeSpan.FromSeconds(61)), Is.EqualTo("1 minute 1 second"));
    }
}
