namespace Mlrb.Docs.Tests;

internal static class RepositoryRoot
{
    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Mlrb.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No Mlrb.sln above {AppContext.BaseDirectory}.");
        }
    }
}
