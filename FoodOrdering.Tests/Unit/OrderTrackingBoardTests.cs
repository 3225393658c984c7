using FoodOrdering.Contracts;
using FoodOrdering.Producer.Tracking;
using Microsoft.Extensions.Options;

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

    private static OrderTrackingBoard Board(int maxOrders) => new(Options.Create(new OrderTrackingOptions { MaxOrders = maxOrders }));

    private static OrderPlaced Placed(Guid id) => new(id, Now, new Customer("c", "Ada", "ada@example.com"), [new OrderLine("cola", 1)], "1 St");

    private static OrderConfirmed Confirmed(Guid id) => new(id, Now, Now.AddSeconds(1), new Customer("c", "Ada", "ada@example.com"),
        [new PricedLine("cola", "Cola", 1, 2.50m, 2.50m)], 2.50m, 2.99m, 0.25m, 5.74m, "USD");
}
