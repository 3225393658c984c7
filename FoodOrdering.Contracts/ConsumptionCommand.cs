namespace FoodOrdering.Contracts;

/// <summary>An operator's pause (or resume) of <paramref name="ConsumerGroup"/>'s consumption, on <see cref="Topics.ConsumptionControl"/>.</summary>
public sealed record ConsumptionCommand(string ConsumerGroup, bool Paused, DateTimeOffset At, string Operator);
