using FoodOrdering.Contracts;
using FoodOrdering.Producer.Tracking;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FoodOrdering.Tests.Unit;

public sealed class OrderTrackingBoardTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OutcomesArrivingInAnyOrderTellTheSameStory()
    {
        var board = Board(10);
        var order = Confirmed(Guid.NewGuid());

        board.EmailSent(new EmailSent(order.OrderId, Now.AddSeconds(2), "m"));
        board.Confirmed(order);
        board.Placed(Placed(order.OrderId));
        board.EmailFailed(new EmailFailed(order.OrderId, "ada@example.com", Now.AddSeconds(3), EmailFailureReasons.Rejected, "550", 550));

        var status = board.Find(order.OrderId)!;
        Assert.Equal(OrderStatuses.Confirmed, status.Status);
        Assert.Equal(order.Total, status.Price!.Total);
        Assert.Equal(order.PlacedAt, status.PlacedAt);
        // A failure recorded after a success (a repeat) does not undo the email that went out.
        Assert.Equal(OrderStatuses.EmailSent, status.Email!.Status);
    }

    [Fact]
    public void ARejectionIsTheStatusWhateverElseArrived()
    {
        var board = Board(10);
        var id = Guid.NewGuid();
        board.Placed(Placed(id));
        board.Rejected(new OrderRejected(id, Now, Now.AddSeconds(1), RejectionReasons.UnknownItem, "Caviar is not on the menu."));

        var status = board.Find(id)!;
        Assert.Equal(OrderStatuses.Rejected, status.Status);
        Assert.Equal("Caviar is not on the menu.", status.Rejection!.Message);
        Assert.Null(status.Price);
    }

    [Fact]
    public void AnotherOrderRejectedUnderTheSameIdLeavesTheFirstConfirmedAndEmailed()
    {
        var board = Board(10);
        var order = Confirmed(Guid.NewGuid());
        board.Confirmed(order);
        board.EmailSent(new EmailSent(order.OrderId, Now.AddSeconds(2), "m"));

        board.Rejected(new OrderRejected(order.OrderId, Now.AddDays(-1), Now.AddSeconds(3), RejectionReasons.OrderIdInUse, "Another order was already received under this order id."));

        var status = board.Find(order.OrderId)!;
        Assert.Equal(OrderStatuses.Confirmed, status.Status);
        Assert.Null(status.Rejection);
        Assert.Equal(order.PlacedAt, status.PlacedAt);
        Assert.Equal(OrderStatuses.EmailSent, status.Email!.Status);
    }

    [Fact]
    public void ItHoldsAtMostItsLimitForgettingTheOrderSeenFirst()
    {
        var board = Board(3);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        ids.ForEach(id => board.Placed(Placed(id)));
        // An update to a remembered order does not make room by forgetting another.
        board.Confirmed(Confirmed(ids[4]));

        Assert.Equal(3, board.Count);
        Assert.Null(board.Find(ids[0]));
        Assert.Null(board.Find(ids[1]));
        Assert.All(ids[2..], id => Assert.NotNull(board.Find(id)));
    }

    [Fact]
    public void AnOrderKeptForItsClientIsFoundForItsTimeHoweverManyOthersComeAndThenIsOneOfThem()
    {
        var time = new FakeTimeProvider(Now);
        var board = Board(100, time);
        var kept = Placed(Guid.NewGuid());
        board.Placed(kept);
        board.Keep(kept, "203.0.113.1");

        var others = Enumerable.Range(0, 1_000).Select(_ => Guid.NewGuid()).ToList();
        others.ForEach(id => board.Confirmed(Confirmed(id)));
        time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        board.Keep(Placed(Guid.NewGuid()), "198.51.100.1");
        var foundWithinItsHour = board.Find(kept.OrderId);
        time.Advance(TimeSpan.FromSeconds(1));
        board.Keep(Placed(Guid.NewGuid()), "198.51.100.1");
        var foundAsItsHourEnds = board.Find(kept.OrderId);
        Enumerable.Range(0, 100).ToList().ForEach(_ => board.Placed(Placed(Guid.NewGuid())));

        Assert.NotNull(foundWithinItsHour);
        Assert.Equal(kept.PlacedAt, foundWithinItsHour.PlacedAt);
        // Its hour over, it is one of the others, the latest seen: found until 100 more come.
        Assert.NotNull(foundAsItsHourEnds);
        Assert.Null(board.Find(kept.OrderId));
        Assert.Equal(102, board.Count);
    }

    [Fact]
    public void OneClientsManyOrdersNeverPushAnotherClientsKeptOrderOut()
    {
        var board = Board(3, new FakeTimeProvider(Now), maxKeptPerClient: 5, maxKept: 1_000);
        var other = Placed(Guid.NewGuid());
        board.Keep(other, "198.51.100.1");

        var flood = Enumerable.Range(0, 50).Select(_ => Placed(Guid.NewGuid())).ToList();
        flood.ForEach(order => board.Keep(order, "203.0.113.1"));

        Assert.NotNull(board.Find(other.OrderId));
        // The flooder's last 5 are kept; its earlier ones are among the last 3 others, or forgotten.
        Assert.All(flood[^5..], order => Assert.NotNull(board.Find(order.OrderId)));
        Assert.Equal(1 + 5 + 3, board.Count);
    }

    [Fact]
    public void KeptOrdersAreBoundedInAllSoManyClientsAtTheirLimitCannotGrowTheBoard()
    {
        var board = Board(10, new FakeTimeProvider(Now), maxKeptPerClient: 5, maxKept: 20);

        for (var client = 0; client < 100; client++)
        {
            for (var i = 0; i < 5; i++)
            {
                board.Keep(Placed(Guid.NewGuid()), $"203.0.113.{client}");
            }
        }

        Assert.Equal(20 + 10, board.Count);
    }

    [Fact]
    public void KeepingAnOrderTwiceKeepsItOnceFromTheFirstTime()
    {
        var time = new FakeTimeProvider(Now);
        var board = Board(1, time);
        var order = Placed(Guid.NewGuid());
        board.Keep(order, "203.0.113.1");
        time.Advance(TimeSpan.FromMinutes(59));
        board.Keep(order, "203.0.113.1");

        time.Advance(TimeSpan.FromMinutes(1));
        board.Keep(Placed(Guid.NewGuid()), "203.0.113.2");
        board.Placed(Placed(Guid.NewGuid()));

        Assert.Null(board.Find(order.OrderId));
    }

    private static OrderTrackingBoard Board(int maxOrders, TimeProvider? time = null, int maxKeptPerClient = 1_000, int maxKept = 50_000) =>
        new(Options.Create(new OrderTrackingOptions { MaxOrders = maxOrders, MaxKeptOrdersPerClient = maxKeptPerClient, MaxKeptOrders = maxKept }),
            time ?? TimeProvider.System);

    private static OrderPlaced Placed(Guid id) => new(id, Now, new Customer("c", "Ada", "ada@example.com"), [new OrderLine("cola", 1)], "1 St");

    private static OrderConfirmed Confirmed(Guid id) => new(id, Now, Now.AddSeconds(1), new Customer("c", "Ada", "ada@example.com"),
        [new PricedLine("cola", "Cola", 1, 2.50m, 2.50m)], 2.50m, 2.99m, 0.25m, 5.74m, "USD");
}
