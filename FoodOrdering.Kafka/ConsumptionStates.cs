using System.Collections.Concurrent;
using FoodOrdering.Contracts;

namespace FoodOrdering.Kafka;

/// <summary>
/// The latest <see cref="ConsumptionCommand"/> of each consumer group, as <see cref="ConsumptionControlReader"/> has
/// read it from <see cref="Topics.ConsumptionControl"/>: what every <see cref="ConsumptionSwitch"/> of this process obeys.
/// </summary>
public sealed class ConsumptionStates
{
    private readonly ConcurrentDictionary<string, ConsumptionCommand> _latest = new(StringComparer.Ordinal);

    /// <summary>The operator's pause of <paramref name="consumerGroup"/>, or null while it is not paused.</summary>
    public ConsumptionCommand? PausedBy(string consumerGroup) =>
        _latest.TryGetValue(consumerGroup, out var command) && command.Paused ? command : null;

    /// <summary>Every group an operator has paused or resumed, now or before.</summary>
    public IEnumerable<string> Groups => _latest.Keys;

    public void Apply(ConsumptionCommand command) => _latest[command.ConsumerGroup] = command;
}
