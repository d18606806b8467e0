namespace Handoff.Browser.Tests.Infrastructure;

/// <summary>Where the browser tests leave files for people to look at: artifacts/ at the repository's root (gitignored).</summary>
internal static class Artifacts
{
    public static string Screenshots { get; } = Folder("screenshots");

    public static string Failures { get; } = Folder("test-failures");

    private static string Folder(string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Handoff.slnx")))
        {
            root = root.Parent;
        }

        var folder = Path.Combine(root?.FullName ?? AppContext.BaseDirectory, "artifacts", name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
