using FoodOrdering.Emails;
using FoodOrdering.Kafka;
using FoodOrdering.Transactions.Indexing;

namespace FoodOrdering.Tests.Unit;

/// <summary>
/// The one failure policy of each consumer: the first matching rule decides, retries in place wait twice as long each
/// time, and each consumer's table says what each failure gets (docs/failures.md).
/// </summary>
public sealed class FailurePolicyTests
{
    [Fact]
    public void TheFirstRuleThatMatchesDecidesAndOtherwiseTakesTheRest()
    {
        // Arrange
        var policy = new FailurePolicy<Exception>()
            .On<ArgumentException>(e => e.ParamName == "special").SetAside()
            .On<ArgumentException>().RetryInPlace(3, TimeSpan.FromMilliseconds(10)).Replay()
            .Otherwise().DeadLetter(DeadLetterReasons.Unprocessable);

        // Act
        var special = policy.For(new ArgumentException("x", "special"));
        var plain = policy.For(new ArgumentNullException("other"));
        var other = policy.For(new InvalidOperationException());

        // Assert
        Assert.Equal((FailureAction.SetAside, 0), (special.Action, special.RetriesInPlace));
        Assert.Equal((FailureAction.Replay, 3), (plain.Action, plain.RetriesInPlace));
        Assert.Equal((FailureAction.DeadLetter, DeadLetterReasons.Unprocessable), (other.Action, other.DeadLetterReason));
    }

    [Fact]
    public void RetriesInPlaceWaitTwiceAsLongEachTime()
    {
        var rule = new FailurePolicy<Exception>().Otherwise().RetryInPlace(4, TimeSpan.FromMilliseconds(200)).Replay().For(new Exception());

        Assert.Equal([200, 400, 800, 1600], Enumerable.Range(1, 4).Select(retry => rule.DelayBefore(retry).TotalMilliseconds));
    }

    [Fact]
    public void AFailureNoRuleMatchesIsAnErrorInThePolicyNotAGuess()
    {
        var policy = new FailurePolicy<Exception>().On<TimeoutException>().Replay();

        var error = Assert.Throws<InvalidOperationException>(() => policy.For(new FormatException()));

        Assert.Contains("no Otherwise()", error.Message);
    }

    [Fact]
    public void TheReplayBackoffIsThePolicysAndReachesTheLoopsOptions()
    {
        var policy = new FailurePolicy<Exception>().ReplayWithBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(7));

        var options = policy.Replaying(new KafkaConsumeLoopOptions("topic", "group", OffsetCommit.StoreAndCommit));

        Assert.Equal((TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(7)), (options.FirstRetryDelay, options.MaxRetryDelay));
    }

    [Fact]
    public void AReplayCeilingBelowTheFirstWaitIsEveryWait()
    {
        // Email:MaxRetryDelay may be set as low as 10 ms, below the first wait of 100 ms.
        var policy = Emails(maxReplayDelay: TimeSpan.FromMilliseconds(10));

        Assert.Equal((TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)), (policy.FirstReplayDelay, policy.MaxReplayDelay));
    }

    [Theory]
    [InlineData(nameof(SmtpFailureScope.Recipient), true, FailureAction.SetAside, 0)]
    [InlineData(nameof(SmtpFailureScope.Message), true, FailureAction.SetAside, 0)]
    [InlineData(nameof(SmtpFailureScope.Server), false, FailureAction.Replay, 2)]
    [InlineData(nameof(SmtpFailureScope.Recipient), false, FailureAction.Replay, 0)]
    [InlineData(nameof(SmtpFailureScope.Message), false, FailureAction.Replay, 0)]
    public void EachSmtpFailureGetsTheEmailsRule(string scope, bool final, FailureAction action, int retriesInPlace)
    {
        var policy = Emails(maxReplayDelay: TimeSpan.FromSeconds(10));

        var rule = policy.For(new SmtpSendException(Enum.Parse<SmtpFailureScope>(scope), final, 550, "550 refused"));

        Assert.Equal((action, retriesInPlace), (rule.Action, rule.RetriesInPlace));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.MaxReplayDelay);
    }

    [Fact]
    public void EveryOtherFailureOfAnEmailGetsTheRulesEveryHandlerShares()
    {
        var policy = Emails(maxReplayDelay: TimeSpan.FromSeconds(10));

        Assert.Equal(FailureAction.Replay, policy.For(new Confluent.Kafka.KafkaException(Confluent.Kafka.ErrorCode.Local_MsgTimedOut)).Action);
        Assert.Equal(FailureAction.Replay, policy.For(new Confluent.Kafka.KafkaException(new Confluent.Kafka.Error(Confluent.Kafka.ErrorCode.OutOfOrderSequenceNumber, "fatal", isFatal: true))).Action);
        Assert.Equal(FailureAction.DeadLetter, policy.For(new Confluent.Kafka.KafkaException(Confluent.Kafka.ErrorCode.MsgSizeTooLarge)).Action);
        Assert.Equal(FailureAction.Replay, policy.For(new DownstreamUnavailableException("down")).Action);
        Assert.Equal(FailureAction.Replay, policy.For(new TimeoutException()).Action);
        Assert.Equal(FailureAction.Replay, policy.For(new TaskCanceledException()).Action);
        var unknown = policy.For(new InvalidOperationException("a bug"));
        Assert.Equal((FailureAction.DeadLetter, 4, DeadLetterReasons.Unprocessable), (unknown.Action, unknown.RetriesInPlace, unknown.DeadLetterReason));
    }

    [Theory]
    [InlineData(nameof(ElasticsearchFailureKind.DocumentFault), FailureAction.DeadLetter)]
    [InlineData(nameof(ElasticsearchFailureKind.Unexpected), FailureAction.Replay)]
    [InlineData(nameof(ElasticsearchFailureKind.AccessRefused), FailureAction.WaitOut)]
    [InlineData(nameof(ElasticsearchFailureKind.IndexMissing), FailureAction.WaitOut)]
    [InlineData(nameof(ElasticsearchFailureKind.Blocked), FailureAction.WaitOut)]
    [InlineData(nameof(ElasticsearchFailureKind.Unavailable), FailureAction.WaitOut)]
    [InlineData(nameof(ElasticsearchFailureKind.Unreachable), FailureAction.WaitOut)]
    public void EachElasticsearchFailureGetsTheIndexersRule(string kind, FailureAction action)
    {
        var policy = IndexerFailurePolicy.For(new IndexerOptions());

        var rule = policy.For(new ElasticsearchFailure(Enum.Parse<ElasticsearchFailureKind>(kind), 400, "some_exception", "reason"));

        Assert.Equal((action, 0), (rule.Action, rule.RetriesInPlace));
        Assert.Equal(action == FailureAction.DeadLetter ? DeadLetterReasons.Rejected : null, rule.DeadLetterReason);
    }

    private static FailurePolicy<Exception> Emails(TimeSpan maxReplayDelay) =>
        MessageFailurePolicy.Complete(EmailFailurePolicy.Configure(new FailurePolicy<Exception>(), new EmailOptions { MaxRetryDelay = maxReplayDelay }));
}
