namespace FoodOrdering.Kafka;

/// <summary>What one <see cref="KafkaConsumeLoop"/> consumes, how it batches and how it retries.</summary>
public sealed record KafkaConsumeLoopOptions(string Topic, string ConsumerGroup, OffsetCommit OffsetCommit)
{
    /// <summary>What pauses the loop while an operator says so; without one it never pauses.</summary>
    public ConsumptionSwitch? Switch { get; init; }

    /// <summary>The most records one batch holds.</summary>
    public int MaxBatchSize { get; init; } = 1;

    /// <summary>How long a batch waits to fill up after its first record arrived.</summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How long one poll waits for a first record when the topic is quiet.</summary>
    public TimeSpan IdleWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bound on reading the committed offsets for a rewind.</summary>
    public TimeSpan CommittedTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before replaying a failed batch or retrying a rewind; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times in a row a batch fails before it is delivered record by record (<see cref="BatchIsolation"/>).
    /// Once is a blip any replay rides out; the second failure in a row is worth the cost of single deliveries.
    /// </summary>
    public int IsolateAfter { get; init; } = 2;

    /// <summary>
    /// While isolating, how many records may fail alone in a row, nothing having got through, before the downstream
    /// is taken to fail everything and the batch is waited out with backoff rather than tried record by record.
    /// </summary>
    public int IsolationFailuresInARow { get; init; } = 3;

    /// <summary>
    /// How long a stop waits for the batch in hand to be delivered before cancelling it; well inside the host's
    /// 30 s shutdown timeout, which also has to flush producers and leave the group.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether the loop closes its consumer when it stops. Members of one group in one process leave only once all
    /// of them stopped (<see cref="KafkaConsumeLoop.Leave"/>): one leaving earlier would rebalance the others while
    /// they finish their last batches.
    /// </summary>
    public bool LeaveGroupOnStop { get; init; } = true;
}
