using FoodOrdering.AppHost;
using Microsoft.Extensions.Time.Testing;

namespace FoodOrdering.Tests.Unit;

/// <summary>How many crashes of a service the AppHost answers with a restart.</summary>
public sealed class CrashRestartBudgetTests
{
    [Fact]
    public void AServiceIsRestartedUpToTheBoundWithinTheWindowAndAgainOnceTheOldestRestartLeavesIt()
    {
        var time = new FakeTimeProvider();
        var budget = new CrashRestartBudget(maxRestarts: 2, window: TimeSpan.FromMinutes(10), time);

        Assert.True(budget.TryTake("producer", out var first));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(budget.TryTake("producer", out var second));
        Assert.False(budget.TryTake("producer", out var refused));
        // Another service has a budget of its own.
        Assert.True(budget.TryTake("emails", out _));
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(budget.TryTake("producer", out var afterWindow));

        Assert.Equal([1, 2, 2, 2], new[] { first, second, refused, afterWindow });
    }

    [Fact]
    public void ABudgetOfNoRestartsRefusesTheFirstCrash()
    {
        var budget = new CrashRestartBudget(maxRestarts: 0, window: TimeSpan.FromMinutes(10), new FakeTimeProvider());

        Assert.False(budget.TryTake("producer", out var used));
        Assert.Equal(0, used);
    }
}
