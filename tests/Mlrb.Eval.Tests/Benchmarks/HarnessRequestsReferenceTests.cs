using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mlrb.Eval.Benchmarks;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Benchmarks;

/// <summary>
/// Compares the requests built from the ../shared/data slices with those of an independent Python construction
/// (tests/reference/harness_requests.py → tests/reference/golden/harness-requests.json): same count, same SHA-256
/// over every (context, continuation), and the first documents verbatim.
/// </summary>
public class HarnessRequestsReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Golden = new(() =>
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "golden", "harness-requests.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    });

    private static IEnumerable<TestCaseData> Configurations()
    {
        foreach (var key in new[] { "blimp_adjunct_island/0", "blimp_principle_A_case_1/0", "mmlu_abstract_algebra/0", "mmlu_abstract_algebra/5", "mmlu_high_school_european_history/5", "mmlu_formal_logic/5", "boolq/0", "cb/0", "cb/2", "copa/0", "copa/2", "sglue_rte/0", "sglue_rte/2", "wic/0", "wic/2" })
        {
            yield return new TestCaseData(key).SetName("Requests_MatchPython_" + key.Replace('/', '_'));
        }
    }

    [TestCaseSource(nameof(Configurations))]
    public void Requests_MatchThePythonConstruction(string key)
    {
        var data = TestPaths.RequireSharedData("benchmarks");
        var expected = Golden.Value[key];
        var name = key[..key.IndexOf('/', StringComparison.Ordinal)];
        var shots = int.Parse(key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var benchmark = name.StartsWith("blimp_", StringComparison.Ordinal) ? BenchmarkKind.Blimp : name.StartsWith("mmlu_", StringComparison.Ordinal) ? BenchmarkKind.Mmlu : BenchmarkKind.SuperGlue;

        var built = BenchmarkEvaluation.Build(new EvaluationOptions { Benchmark = benchmark, DataDirectory = data, Shots = shots, Strict = false });
        Assert.That(built.Issues, Is.Empty);
        var subtask = built.Subtasks.Single(s => s.Name == name);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var count = 0;
        foreach (var doc in subtask.Documents)
        {
            foreach (var cont in doc.Continuations)
            {
                sha.AppendData(Encoding.UTF8.GetBytes(doc.Context + "\0" + cont + "\0"));
                count++;
            }
        }

        var first = expected.GetProperty("first").EnumerateArray().ToList();
        for (var d = 0; d < first.Count; d++)
        {
            var pairs = first[d].EnumerateArray().Select(p => (p[0].GetString(), p[1].GetString())).ToList();
            Assert.That(subtask.Documents[d].Continuations.Select(c => (subtask.Documents[d].Context, c)), Is.EqualTo(pairs), $"document {d}");
        }

        Assert.That(count, Is.EqualTo(expected.GetProperty("requests").GetInt32()));
        Assert.That(Convert.ToHexStringLower(sha.GetHashAndReset()), Is.EqualTo(expected.GetProperty("sha256").GetString()));
    }
}
