using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// The transactional producer as the Transactions worker gets it, while its consumer group's coordinator goes down
/// and comes back: librdkafka's SendOffsetsToTransaction ignores its timeout while the coordinator is away and can
/// wait forever after it returned (issue #5456), until <see cref="KafkaTransactionalProducer"/> gave such calls up.
/// </summary>
public sealed class TransactionalProducerTests(ITestOutputHelper output)
{
    private const int Coordinator = 1;
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    // Short calls and a long outage: a call that waits out the outage instead of its timeout cannot go unnoticed.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task EveryCallReturnsInTimeThroughAGroupCoordinatorOutageAndTransactionsGoOnAfterIt()
    {
        using var kafka = EmbeddedKafkaCluster.Start(brokers: 3, partitions: 3, Topics.All);
        kafka.SetGroupCoordinator(ConsumerGroups.Transactions, Coordinator);
        using var host = BuildHost(kafka.BootstrapServers);
        using var consumer = JoinedConsumer(kafka.BootstrapServers);
        var producers = host.Services.GetRequiredService<KafkaTransactionalProducerFactory>();
        var committed = 0L;
        var longestCall = TimeSpan.Zero;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        T Timed<T>(Func<T> call)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                return call();
            }
            finally
            {
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                longestCall = elapsed > longestCall ? elapsed : longestCall;
            }
        }

        void TimedAction(Action call) => Timed(() =>
        {
            call();
            return true;
        });

        // As the Transactions worker does: a failed transaction costs the producer, and a new one carries on.
        // A background thread, so that a call stuck in librdkafka cannot keep the test run from ending.
        var transactions = new Thread(() =>
        {
            KafkaTransactionalProducer? producer = null;
            for (var offset = 1L; !stop.IsCancellationRequested; offset++)
            {
                try
                {
                    producer ??= Timed(() => producers.Create(CallTimeout));
                    producer.BeginTransaction();
                    producer.Producer.Produce(Topics.OrdersConfirmed, new Message<string, byte[]> { Key = $"{offset}", Value = [1] });
                    TimedAction(() => producer.SendOffsetsToTransaction(
                        [new TopicPartitionOffset(Topics.OrdersReceived, 0, offset)], consumer.ConsumerGroupMetadata, CallTimeout));
                    TimedAction(() => producer.CommitTransaction(CallTimeout));
                    Interlocked.Increment(ref committed);
                }
                catch (KafkaException e)
                {
                    failures.Enqueue($"{e.Error.Code}: {e.Error.Reason}");
                    producer?.Dispose();
                    producer = null;
                }
            }

            producer?.Dispose();
        }) { IsBackground = true };
        transactions.Start();

        var running = Interlocked.Read(ref committed) + 10;
        await Eventually.WaitUntilAsync(() => Interlocked.Read(ref committed) >= running, Timeout, () => "transactions are not being committed");
        kafka.SetBrokerDown(Coordinator);
        await Task.Delay(Outage); // the outage itself, not a wait for something to happen
        kafka.SetBrokerUp(Coordinator);
        var recovered = Interlocked.Read(ref committed) + 10;
        await Eventually.WaitUntilAsync(() => Interlocked.Read(ref committed) >= recovered, Timeout,
            () => $"no transaction was committed after the group coordinator came back; failures: {string.Join("; ", failures.Distinct())}");
        stop.Cancel();
        Assert.True(transactions.Join(Timeout), "the last transaction did not finish");

        output.WriteLine($"{committed} transactions committed; longest call {longestCall.TotalSeconds:0.0} s; {failures.Count} failed: {string.Join("; ", failures.Distinct())}");
        // Slack for a busy machine, still well short of the outage.
        Assert.InRange(longestCall, TimeSpan.Zero, CallTimeout + KafkaTransactionalProducer.Grace + TimeSpan.FromSeconds(3));
    }

    private static IHost BuildHost(string bootstrapServers)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = bootstrapServers,
        });
        builder.AddKafkaTransactionalProducerFactory(ConnectionNames.Kafka, "transactional-producer-test");
        return builder.Build();
    }

    /// <summary>A member of the Transactions group, for the group metadata a transaction's offsets are sent with.</summary>
    private static IConsumer<string, byte[]> JoinedConsumer(string bootstrapServers)
    {
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = ConsumerGroups.Transactions,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(Topics.OrdersReceived);
        using var deadline = new CancellationTokenSource(Timeout);
        while (consumer.Assignment.Count == 0)
        {
            deadline.Token.ThrowIfCancellationRequested();
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        return consumer;
    }
}
