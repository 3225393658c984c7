using FoodOrdering.AppHost.Containers;

namespace FoodOrdering.Tests.Support;

/// <summary>A test that needs a running container engine (Docker or Podman); skipped, saying why, where none answers.</summary>
internal sealed class ContainerRuntimeFactAttribute : FactAttribute
{
    private static readonly string? Engine = ContainerRuntimeProbe.FindRunningEngine(Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME"));

    public ContainerRuntimeFactAttribute()
    {
        if (Engine is null)
        {
            Skip = "Needs a running container engine: neither 'docker info' nor 'podman info' succeeded on this machine.";
        }
    }
}
