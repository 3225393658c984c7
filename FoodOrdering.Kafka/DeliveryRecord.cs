using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>How a producer's deliveries went lately: whether the latest one failed, when, and why.</summary>
internal sealed class DeliveryRecord(TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _sequence;
    private long _lastSuccess;
    private long _lastFailure;
    private DateTimeOffset _failingSince;
    private DateTimeOffset _lastFailureAt;
    private Error? _lastError;

    // Every delivery passes here, so a success takes no lock.
    public void Succeeded() => Volatile.Write(ref _lastSuccess, Interlocked.Increment(ref _sequence));

    public void Failed(Error error)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_lastFailure < Volatile.Read(ref _lastSuccess) || _lastError is null)
            {
                _failingSince = now;
            }

            _lastFailure = Interlocked.Increment(ref _sequence);
            _lastFailureAt = now;
            _lastError = error;
        }
    }

    /// <summary>
    /// The failure that came after the latest success, if it is younger than <paramref name="recent"/>: an old
    /// failure with nothing since says nothing about publishing now.
    /// </summary>
    public (DateTimeOffset Since, Error LastError)? Failing(TimeSpan recent)
    {
        lock (_lock)
        {
            return _lastError is not null && _lastFailure > Volatile.Read(ref _lastSuccess) && time.GetUtcNow() - _lastFailureAt < recent
                ? (_failingSince, _lastError)
                : null;
        }
    }
}
