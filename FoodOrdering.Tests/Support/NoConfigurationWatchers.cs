using System.Runtime.CompilerServices;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// The suite starts hundreds of hosts, in process and as child processes; each would watch its appsettings files for
/// changes, and Linux allows a user 128 inotify instances in all, which a suite run beside another one exhausts.
/// No test changes a configuration file while a host runs.
/// </summary>
internal static class NoConfigurationWatchers
{
    [ModuleInitializer]
    internal static void Disable() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
