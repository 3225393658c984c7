using System.Diagnostics.Metrics;

namespace FoodOrdering.Tests.Support;

/// <summary>Meters for a class under test that nothing listens to.</summary>
internal sealed class NoMeterFactory : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
