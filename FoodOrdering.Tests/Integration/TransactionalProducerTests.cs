using Confluent.Kafka;
using FoodOrdering.AppHost.Embedded;
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
/// and comes back: SendOffsetsToTransaction could then wait forever, past its timeout (librdkafka issue #5456),
/// until <see cref="KafkaTransactionalProducer"/> gave such a call up.
/// </summary>
public sealed class TransactionalProducerTests(ITestOutputHelper output)
{
    private const int Coordinator = 1;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Short, so that a stuck call is given up well within the test's patience.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task KeepsCommittingTransactionsAfterTheGroupCoordinatorWasDownAndCameBack()
    {
        using var kafka = EmbeddedKafkaCluster.Start(brokers: 3, partitions: 3, Topics.All);
        kafka.SetGroupCoordinator(ConsumerGroups.Transactions, Coordinator);
        using var host = BuildHost(kafka.BootstrapServers);
        using var consumer = JoinedConsumer(kafka.BootstrapServers);
        var producers = host.Services.GetRequiredService<KafkaTransactionalProducerFactory>();
        var committed = 0L;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        // As the Transactions worker does: a failed transaction costs the producer, and a new one carries on.
        // A background thread, so that a call stuck in librdkafka cannot keep the test run from ending.
        var transactions = new Thread(() =>
        {
            KafkaTransactionalProducer? producer = null;
            for (var offset = 1L; !stop.IsCancellationRequested; offset++)
            {
                try
                {
                    producer ??= producers.Create(CallTimeout);
                    producer.BeginTransaction();
                    producer.Producer.Produce(Topics.OrdersConfirmed, new Message<string, byte[]> { Key = $"{offset}", Value = [1] });
                    producer.SendOffsetsToTransaction([new TopicPartitionOffset(Topics.OrdersReceived, 0, offset)], consumer.ConsumerGroupMetadata, CallTimeout);
                    producer.CommitTransaction(CallTimeout);
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

        for (var outage = 1; outage <= 2; outage++)
        {
            var running = Interlocked.Read(ref committed) + 10;
            await Eventually.WaitUntilAsync(() => Interlocked.Read(ref committed) >= running, Timeout, () => "transactions are not being committed");
            kafka.SetBrokerDown(Coordinator);
            await Task.Delay(TimeSpan.FromSeconds(3)); // the outage itself, not a wait for something to happen
            kafka.SetBrokerUp(Coordinator);
            var recovered = Interlocked.Read(ref committed) + 10;
            await Eventually.WaitUntilAsync(() => Interlocked.Read(ref committed) >= recovered, Timeout,
                () => $"no transaction was committed after outage {outage} of the group coordinator; failures: {string.Join("; ", failures.Distinct())}");
        }

        stop.Cancel();
        Assert.True(transactions.Join(Timeout), "the last transaction did not finish");
        output.WriteLine($"{committed} transactions committed; {failures.Count} failed: {string.Join("; ", failures.Distinct())}");
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
