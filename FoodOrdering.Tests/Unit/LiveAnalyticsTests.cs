using FoodOrdering.Contracts;
using FoodOrdering.Operations.Analytics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FoodOrdering.Tests.Unit;

public sealed class LiveAnalyticsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void CountsEachOrderLineOnceWhateverTheRepeatsAndSumsTheRevenueExactly()
    {
        var time = new FakeTimeProvider(Start);
        var analytics = Analytics(time);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var lines = new[]
        {
            Line(first, 1, "margherita", 2, 23.00m),
            Line(first, 2, "cola", 1, 2.40m),
            Line(second, 1, "fries", 3, 9.60m),
        };

        // The mock broker shows an aborted transaction's copy, and a re-driven order repeats its lines.
        foreach (var line in lines.Concat(lines).Append(lines[1]))
        {
            analytics.Add(line);
        }

        var view = analytics.View(5);
        Assert.Equal("35.00", view.Revenue);
        Assert.Equal(2, view.Orders);
        Assert.Equal("17.50", view.AverageOrderValue);
        Assert.Equal("0.40", view.OrdersPerMinute);
        Assert.Equal(("35.00", 2L), (view.PerMinute[^1].Revenue, view.PerMinute[^1].Orders));
        Assert.Equal(5, view.PerMinute.Count);
        Assert.False(view.MayHoldRepeats);
    }

    [Fact]
    public void TheViewsRevenueIsTheExactSumOfManyLinesWhoseDoubleSumIsNot()
    {
        var time = new FakeTimeProvider(Start);
        var analytics = Analytics(time);
        var amounts = Enumerable.Range(0, 1_000).Select(i => Menu.Items[i % Menu.Items.Count].UnitPrice * (1 + (i % 3))).ToList();

        for (var i = 0; i < amounts.Count; i++)
        {
            analytics.Add(Line(Guid.NewGuid(), 1, Menu.Items[i % Menu.Items.Count].Id, 1 + (i % 3), amounts[i]));
        }

        var view = analytics.View(5);
        Assert.Equal(amounts.Sum().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), view.Revenue);
        Assert.Equal(1_000, view.Orders);
    }

    [Fact]
    public void RanksTopItemsByRevenueAndByQuantityAndSumsCategories()
    {
        var analytics = Analytics(new FakeTimeProvider(Start));
        analytics.Add(Line(Guid.NewGuid(), 1, "quattro-formaggi", 2, 28.50m, "Pizza"));
        analytics.Add(Line(Guid.NewGuid(), 1, "cola", 5, 12.00m, "Drinks"));
        analytics.Add(Line(Guid.NewGuid(), 1, "margherita", 1, 11.50m, "Pizza"));

        var view = analytics.View(15);

        Assert.Equal(["quattro-formaggi", "cola", "margherita"], view.TopItemsByRevenue.Select(item => item.MenuItemId));
        Assert.Equal(["cola", "quattro-formaggi", "margherita"], view.TopItemsByQuantity.Select(item => item.MenuItemId));
        Assert.Equal(new ItemFigures("cola", "cola", "Drinks", "12.00", 5), view.TopItemsByQuantity[0]);
        Assert.Equal([new CategoryFigures("Pizza", "40.00"), new CategoryFigures("Drinks", "12.00")], view.RevenueByCategory);
    }

    [Fact]
    public void EachRangeHoldsItsOwnMinutesAndTheHourForgetsWhatLeavesIt()
    {
        var time = new FakeTimeProvider(Start);
        var analytics = Analytics(time);
        analytics.Add(Line(Guid.NewGuid(), 1, "margherita", 1, 11.50m, placedAt: Start.AddMinutes(-10)));
        analytics.Add(Line(Guid.NewGuid(), 1, "cola", 1, 2.40m));
        analytics.Add(Line(Guid.NewGuid(), 1, "fries", 1, 3.20m, placedAt: Start.AddMinutes(-61)));

        var (five, fifteen, sixty) = (analytics.View(5).Revenue, analytics.View(15).Revenue, analytics.View(60).Revenue);
        time.Advance(TimeSpan.FromMinutes(45));
        var later = analytics.View(60);
        time.Advance(TimeSpan.FromMinutes(15));
        var hourLater = analytics.View(60);

        Assert.Equal(("2.40", "13.90", "13.90"), (five, fifteen, sixty));
        Assert.Equal("13.90", later.Revenue);
        Assert.Equal(("0.00", 0L), (hourLater.Revenue, hourLater.Orders));
        Assert.Equal(Start.AddMinutes(60).AddSeconds(-30).AddMinutes(-59), hourLater.From);
    }

    [Fact]
    public void CountsRejectionsByReasonAndEmailsOncePerOrderEvenWhenARepeatCarriesALaterTime()
    {
        var time = new FakeTimeProvider(Start);
        var analytics = Analytics(time);
        var rejected = new OrderRejected(Guid.NewGuid(), Start, Start, RejectionReasons.UnknownItem, "Caviar is not on the menu.");
        var emailed = Guid.NewGuid();

        analytics.Add(rejected);
        analytics.Add(rejected);
        analytics.Add(new OrderRejected(Guid.NewGuid(), Start, Start, RejectionReasons.DiscontinuedItem, "Gone."));
        analytics.Add(new OrderRejected(Guid.NewGuid(), Start, Start, RejectionReasons.UnknownItem, "Caviar again."));
        analytics.Add(new EmailSent(emailed, Start, "m-1"));
        time.Advance(TimeSpan.FromMinutes(2));
        analytics.Add(new EmailSent(emailed, time.GetUtcNow(), "m-1"));
        analytics.Add(new EmailFailed(Guid.NewGuid(), "a***@example.com", time.GetUtcNow(), EmailFailureReasons.Rejected, "550", 550));

        var view = analytics.View(5);
        Assert.Equal([new ReasonCount(RejectionReasons.UnknownItem, 2), new ReasonCount(RejectionReasons.DiscontinuedItem, 1)], view.RejectionsByReason);
        Assert.Equal(new EmailFigures(Sent: 1, Failed: 1), view.Emails);
    }

    [Fact]
    public void MemoryStaysBoundedWhateverTheNamesAndTheTrafficAndTheViewSaysWhenItCouldNotCheckForRepeats()
    {
        var analytics = Analytics(new FakeTimeProvider(Start), new AnalyticsOptions { MaxRecordsPerMinute = 1_000, MaxNamesPerMinute = 8 });
        var orders = Enumerable.Range(0, 1_200).Select(_ => Guid.NewGuid()).ToList();

        foreach (var (order, i) in orders.Select((order, i) => (order, i)))
        {
            analytics.Add(Line(order, 1, $"special-{i % 20}", 1, 1.00m, category: $"category-{i % 20}"));
        }

        var view = analytics.View(5);
        Assert.Equal("1200.00", view.Revenue);
        Assert.True(view.MayHoldRepeats);
        Assert.Equal(MinuteBucket.Other, view.TopItemsByRevenue[0].MenuItemId);
        Assert.Equal(9, view.RevenueByCategory.Count);
        Assert.Equal("720.00", Assert.Single(view.RevenueByCategory, category => category.Category == MinuteBucket.Other).Revenue);
    }

    [Fact]
    public void ARecordFromAClockAheadCountsInTheCurrentMinute()
    {
        var analytics = Analytics(new FakeTimeProvider(Start));

        analytics.Add(Line(Guid.NewGuid(), 1, "cola", 1, 2.40m, placedAt: Start.AddMinutes(3)));

        Assert.Equal("2.40", analytics.View(5).PerMinute[^1].Revenue);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(61)]
    public void RefusesARangeItDoesNotHold(int minutes)
    {
        var analytics = Analytics(new FakeTimeProvider(Start));

        Assert.Throws<ArgumentOutOfRangeException>(() => analytics.View(minutes));
    }

    private static LiveAnalytics Analytics(TimeProvider time, AnalyticsOptions? options = null) =>
        new(Options.Create(options ?? new AnalyticsOptions()), time);

    private static OrderLineSold Line(Guid order, int line, string item, int quantity, decimal revenue, string category = "Any", DateTimeOffset? placedAt = null) =>
        new(order, line, placedAt ?? Start, item, item, category, quantity, revenue);
}
