using Mlrb.Tasks.Provenance;

namespace Mlrb.Tasks.Tests.Provenance;

public class PythonPackagesTests
{
    private static ResearchTask Task(string name) => TaskCatalog.Builtin.TryGet(name, out var task) ? task : throw new InvalidOperationException(name);

    [Test]
    public void NeededBy_MapsTheTaskLibrariesToImportNames()
    {
        Assert.That(PythonPackages.NeededBy(Task("baby_lm")), Is.EqualTo(new[] { "numpy", "torch", "transformers", "datasets" }));
        Assert.That(PythonPackages.NeededBy(Task("llm_merging")), Is.EqualTo(new[] { "numpy", "torch", "transformers", "safetensors" }));
        var custom = Task("baby_lm") with { Libraries = ["peft", "Hugging Face Accelerate", "scikit-learn", "Some Tool 2.0"] };
        Assert.That(PythonPackages.NeededBy(custom), Is.EqualTo(new[] { "numpy", "torch", "transformers", "peft", "accelerate", "sklearn" }));
    }

    [Test]
    public void DescribeInstalled_ListsWhatImportsWithVersions_OrSaysNone()
    {
        var python = new PythonEnvironment
        {
            Executable = "python3",
            Version = "3.11.2",
            Packages = new Dictionary<string, string?> { ["numpy"] = "1.24.2", ["torch"] = null, ["json"] = "" },
        };
        Assert.That(PythonPackages.DescribeInstalled(python), Is.EqualTo(new[] { "numpy 1.24.2", "json" }));
        Assert.That(python.Missing(["numpy", "torch", "transformers"]), Is.EqualTo(new[] { "torch", "transformers" }));
        Assert.That(python.Installed(), Is.EqualTo(new[] { "numpy", "json" }));

        var nothing = python with { Packages = new Dictionary<string, string?> { ["torch"] = null } };
        Assert.That(PythonPackages.DescribeInstalled(nothing), Is.EqualTo(new[] { "none of torch (Python 3.11.2)" }));
        var broken = new PythonEnvironment { Executable = "/opt/py/bin/python", Error = "not found" };
        Assert.That(PythonPackages.DescribeInstalled(broken).Single(), Does.Contain("no working Python interpreter at '/opt/py/bin/python'"));
    }
}
