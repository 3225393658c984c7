using System.ComponentModel;
using System.Diagnostics;

namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// Asks a container engine whether it runs (<c>docker info</c> / <c>podman info</c> must succeed): finding the
/// client binary is not enough, as machines with a Docker client and no engine show.
/// </summary>
internal static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The runtime Aspire will use: <c>ASPIRE_CONTAINER_RUNTIME</c> when set, else Docker, then Podman.</summary>
    public static string? FindRunningEngine(string? configuredRuntime) =>
        (configuredRuntime is { Length: > 0 } runtime ? [runtime] : new[] { "docker", "podman" })
            .FirstOrDefault(Answers);

    public static bool Answers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            // Drain the pipes so a chatty engine cannot block on a full buffer.
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}
