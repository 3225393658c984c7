using System.Collections.Concurrent;
using System.Reflection;
using Confluent.Kafka;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A producer without a broker that acknowledges every <c>ProduceAsync</c> and keeps what it was given, by topic.
/// Any other member throws, so a test notices when the code under test reaches for more.
/// </summary>
internal class FakeProducer : DispatchProxy
{
    public ConcurrentQueue<(string Topic, Message<string, byte[]> Message)> Produced { get; } = new();

    public static (IProducer<string, byte[]> Producer, FakeProducer Fake) Create()
    {
        var producer = Create<IProducer<string, byte[]>, FakeProducer>();
        return (producer, (FakeProducer)(object)producer);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name == nameof(IProducer<string, byte[]>.ProduceAsync) && args is [string topic, Message<string, byte[]> message, CancellationToken])
        {
            Produced.Enqueue((topic, message));
            return Task.FromResult(new DeliveryResult<string, byte[]>
            {
                TopicPartitionOffset = new TopicPartitionOffset(topic, 0, Produced.Count - 1),
                Message = message,
                Status = PersistenceStatus.Persisted,
            });
        }

        throw new NotSupportedException(targetMethod?.Name);
    }
}
