using Confluent.Kafka;

namespace FoodOrdering.Tests.Support;

/// <summary>Counts records arriving on a topic, from its beginning, on a background thread: a progress gauge for tests.</summary>
internal sealed class TopicCounter : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _count;

    public TopicCounter(string bootstrapServers, string topic)
    {
        _loop = Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = $"test-counter-{Guid.NewGuid():N}",
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            }).Build();
            consumer.Subscribe(topic);
            while (!_stop.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not null)
                {
                    Interlocked.Increment(ref _count);
                }
            }

            consumer.Close();
        });
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
