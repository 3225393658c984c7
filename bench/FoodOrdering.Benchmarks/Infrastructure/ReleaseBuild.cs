using System.Diagnostics;

namespace FoodOrdering.Benchmarks.Infrastructure;

/// <summary>
/// A service's Release build in its project's own output folder (<c>FoodOrdering.X/bin/Release/{framework}/</c>),
/// built once per benchmark run so that the process measured is the code checked out, whatever configuration the
/// benchmark itself was built in.
/// </summary>
internal static class ReleaseBuild
{
    private static readonly Dictionary<string, string> Built = [];
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<string> AssemblyAsync(string project, TextWriter log)
    {
        await Gate.WaitAsync();
        try
        {
            if (Built.TryGetValue(project, out var known))
            {
                return known;
            }

            var root = RepositoryRoot();
            var projectFile = Path.Combine(root, project, $"{project}.csproj");
            // The benchmark's own output folder is bin/{configuration}/{framework}/; the services target the same framework.
            var framework = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
            var assembly = Path.Combine(root, project, "bin", "Release", framework, $"{project}.dll");

            log.WriteLine($"  building {project} (Release)");
            using var build = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "build", projectFile, "-c", "Release", "--nologo", "-v", "quiet", "-clp:ErrorsOnly" },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var output = await build.StandardOutput.ReadToEndAsync();
            await build.WaitForExitAsync();
            if (build.ExitCode != 0 || !File.Exists(assembly))
            {
                throw new InvalidOperationException($"Building {projectFile} in Release failed (exit code {build.ExitCode}), or {assembly} is not there:\n{output}");
            }

            Built[project] = assembly;
            return assembly;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FoodOrdering.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No FoodOrdering.sln above {AppContext.BaseDirectory}: process hosting runs the services from their projects' build output.");
    }
}
