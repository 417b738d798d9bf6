namespace CustomAgent.Tests;

/// <summary>Finds the repository this sample lives in (the folder holding Mlrb.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Mlrb.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No Mlrb.sln above {AppContext.BaseDirectory}; these tests run inside the Mlrb repository.");
        }
    }
}
