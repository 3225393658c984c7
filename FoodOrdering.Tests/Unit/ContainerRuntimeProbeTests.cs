using FoodOrdering.AppHost.Containers;

namespace FoodOrdering.Tests.Unit;

public sealed class ContainerRuntimeProbeTests
{
    [Fact]
    public void AnEngineCountsOnlyWhenItsInfoCommandSucceeds()
    {
        Assert.True(ContainerRuntimeProbe.Answers("true"));
        Assert.False(ContainerRuntimeProbe.Answers("false"));
        Assert.False(ContainerRuntimeProbe.Answers("no-such-container-runtime"));
    }

    [Fact]
    public void AConfiguredRuntimeIsTheOnlyOneAsked()
    {
        Assert.Equal("true", ContainerRuntimeProbe.FindRunningEngine("true"));
        Assert.Null(ContainerRuntimeProbe.FindRunningEngine("false"));
    }
}
