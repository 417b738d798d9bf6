namespace Mlrb.Eval.Data;

/// <summary>One file of an official benchmark release.</summary>
/// <param name="Url">Where the publisher serves it.</param>
/// <param name="MirrorPath">Its path under a mirror (<c>--mirror URL</c>), e.g. <c>blimp/adjunct_island.jsonl</c>.</param>
/// <param name="LocalPath">Where it goes in the data folder (archives: where the download is kept before unpacking).</param>
/// <param name="Sha256">The expected SHA-256, when pinned; otherwise the hash is recorded on first download.</param>
public sealed record DataRelease(Uri Url, string MirrorPath, string LocalPath, string? Sha256 = null);
