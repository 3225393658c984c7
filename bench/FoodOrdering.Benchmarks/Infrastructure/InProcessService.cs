using FoodOrdering.Benchmarks.Measurement;
using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Benchmarks.Infrastructure;

/// <summary>A service's registrations in a host inside the benchmark's process: its figures are the whole process's.</summary>
internal sealed class InProcessService(string name, IHost host, Uri? baseAddress) : ServiceUnderTest
{
    public override string Name => name;

    public override Uri? BaseAddress => baseAddress;

    public override ResourceSampler StartSampling() => new();

    public override async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
