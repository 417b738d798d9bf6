using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mlrb.Tasks.Workspaces;

namespace Mlrb.Tasks;

/// <summary>
/// The default <see cref="IWorkspaceFactory"/>: <c>&lt;root&gt;/&lt;run id&gt;/</c> with <c>scratchpad.txt</c>, the
/// task's example output (<c>example_output.json</c>: the JSON shape of the expected submission) and its starter kit. Run ids look like <c>baby_lm-20261128-160102-3f9a1c2e</c>: task, UTC time, 32 random bits.
/// Thread-safe; a run folder is never reused.
/// </summary>
public sealed class WorkspaceFactory : IWorkspaceFactory
{
    private readonly WorkspaceOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the factory.</summary>
    /// <param name="options">Root folder and scratchpad name; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">Clock for run ids; the system clock when <see langword="null"/>.</param>
    public WorkspaceFactory(WorkspaceOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new WorkspaceOptions();
        _time = timeProvider ?? TimeProvider.System;
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.RootDirectory, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.ScratchpadFileName, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.ExampleOutputFileName, nameof(options));
        if (Path.IsPathRooted(_options.ExampleOutputFileName) || _options.ExampleOutputFileName.Split('/', '\\').Contains(".."))
        {
            throw new ArgumentException($"WorkspaceOptions.ExampleOutputFileName must be a file name inside the run folder (is '{_options.ExampleOutputFileName}').", nameof(options));
        }
    }

    /// <summary>Absolute path of the folder that holds the run folders.</summary>
    public string RootDirectory => Path.GetFullPath(_options.RootDirectory);

    /// <inheritdoc />
    public async Task<Workspace> CreateAsync(ResearchTask task, string? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        Directory.CreateDirectory(RootDirectory);
        var (id, folder) = runId is null ? Claim(task) : Claim(ValidRunId(runId));

        var scratchpad = Path.Combine(folder, _options.ScratchpadFileName);
        var header = string.Create(CultureInfo.InvariantCulture, $"Scratchpad of run {id} (task {task.Name}). Write notes on your task here.\n\n");
        await File.WriteAllTextAsync(scratchpad, header, Encoding.UTF8, cancellationToken).ConfigureAwait(false);

        var example = Path.Combine(folder, _options.ExampleOutputFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(example)!);
        await File.WriteAllTextAsync(example, ExampleOutput.Render(task), Encoding.UTF8, cancellationToken).ConfigureAwait(false);

        var starterFiles = task.StarterKit is { } kit
            ? await StarterKits.WriteAsync(kit, folder, cancellationToken).ConfigureAwait(false)
            : [];

        return new Workspace
        {
            RunId = id,
            TaskName = task.Name,
            RootPath = folder,
            ScratchpadPath = scratchpad,
            ExampleOutputPath = example,
            StarterFiles = starterFiles,
        };
    }

    private (string Id, string Folder) Claim(ResearchTask task)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var stamp = _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            var id = $"{task.Name}-{stamp}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
            if (TryClaim(id, out var folder))
            {
                return (id, folder);
            }
        }

        throw new InvalidOperationException($"Could not find a free run id under {RootDirectory}.");
    }

    private (string Id, string Folder) Claim(string runId) => TryClaim(runId, out var folder)
        ? (runId, folder)
        : throw new InvalidOperationException($"Run folder '{Path.Combine(RootDirectory, runId)}' already exists; run ids are never reused.");

    /// <summary>Creates the folder only if nothing has that name yet.</summary>
    private bool TryClaim(string id, out string folder)
    {
        folder = Path.Combine(RootDirectory, id);
        if (Directory.Exists(folder) || File.Exists(folder))
        {
            return false;
        }

        // Create through a private temporary name and move it into place: the move fails if another
        // process claimed the same id in between, so two runs never share a folder.
        var staging = Path.Combine(RootDirectory, "." + id + "." + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            Directory.Move(staging, folder);
            return true;
        }
        catch (IOException)
        {
            Directory.Delete(staging);
            return false;
        }
    }

    private static string ValidRunId(string runId)
    {
        if (runId.Length is 0 or > 128 || runId.StartsWith('.') || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"Run id '{runId}' may only contain letters, digits, '-', '_' and '.', must not start with '.', and must be at most 128 characters.", nameof(runId));
        }

        return runId;
    }
}
