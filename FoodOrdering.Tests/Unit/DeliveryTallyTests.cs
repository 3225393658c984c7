using FoodOrdering.Embedded.Measurement;

namespace FoodOrdering.Tests.Unit;

/// <summary>The benchmark's exactly-once count: a fast wrong answer must not pass.</summary>
public sealed class DeliveryTallyTests
{
    [Fact]
    public void PassesOnlyWhenEveryExpectedOrderArrivedExactlyOnce()
    {
        var orders = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var tally = new DeliveryTally();
        orders.ForEach(tally.Expect);

        Assert.True(tally.Record(orders[0]));
        Assert.True(tally.Record(orders[1]));
        Assert.False(tally.Complete);
        Assert.True(tally.Record(orders[2]));

        Assert.True(tally.Complete);
        Assert.True(tally.ToCorrectness().Passed);
    }

    [Fact]
    public void ReportsDuplicatesMissingAndUnknownOrders()
    {
        var orders = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var tally = new DeliveryTally();
        orders.ForEach(tally.Expect);

        tally.Record(orders[0]);
        Assert.False(tally.Record(orders[0]));
        Assert.False(tally.Record(Guid.NewGuid()));

        var correctness = tally.ToCorrectness();
        Assert.Equal(new Correctness(Expected: 3, Delivered: 1, Missing: 2, Duplicates: 1, Unexpected: 1), correctness);
        Assert.False(correctness.Passed);
    }
}
