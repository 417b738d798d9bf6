namespace Mlrb.Tasks.Provenance;

/// <summary>Which Python packages a run probes for, which a task needs, and how the prompt names what was found.</summary>
public static class PythonPackages
{
    /// <summary>The packages probed at run start (import names): the paper's environment (§9.2) and what its tasks commonly use.</summary>
    public static IReadOnlyList<string> Probed { get; } =
        ["numpy", "pandas", "torch", "torchvision", "torchaudio", "datasets", "transformers", "tokenizers", "safetensors", "accelerate", "peft", "sentencepiece", "lm_eval"];

    /// <summary>
    /// The packages (import names) a task needs: numpy, torch and transformers for every task, plus its libraries
    /// (<c>Hugging Face Datasets</c> -> <c>datasets</c>, <c>safetensors</c>, and any library named by its import name).
    /// </summary>
    /// <param name="task">The task.</param>
    /// <returns>Import names, without repeats.</returns>
    public static IReadOnlyList<string> NeededBy(ResearchTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var needed = new List<string> { "numpy", "torch", "transformers" };
        foreach (var library in task.Libraries)
        {
            var name = library.Trim().ToLowerInvariant() switch
            {
                "pytorch" or "torch" => "torch",
                "hugging face transformers" or "transformers" => "transformers",
                "hugging face datasets" or "datasets" => "datasets",
                "hugging face tokenizers" or "tokenizers" => "tokenizers",
                "hugging face peft" or "peft" => "peft",
                "hugging face accelerate" or "accelerate" => "accelerate",
                "scikit-learn" or "sklearn" => "sklearn",
                var other when IsImportName(other) => other,
                _ => null,
            };
            if (name is not null && !needed.Contains(name))
            {
                needed.Add(name);
            }
        }

        return needed;
    }

    /// <summary>The prompt's "already installed" list: each importable package with its version, or a plain statement that none is.</summary>
    /// <param name="python">The probe's result.</param>
    /// <returns>E.g. <c>numpy 1.26.4, torch 2.3.1</c>.</returns>
    public static IReadOnlyList<string> DescribeInstalled(PythonEnvironment python)
    {
        ArgumentNullException.ThrowIfNull(python);
        var installed = python.Packages.Where(p => p.Value is not null).Select(p => p.Value!.Length == 0 ? p.Key : $"{p.Key} {p.Value}").ToList();
        if (installed.Count > 0)
        {
            return installed;
        }

        return python.Version is null
            ? [$"none (no working Python interpreter at '{python.Executable}')"]
            : [$"none of {string.Join(", ", python.Packages.Keys)} (Python {python.Version})"];
    }

    private static bool IsImportName(string name)
        => name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
