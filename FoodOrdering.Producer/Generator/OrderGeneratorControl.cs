using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Generator;

/// <summary>Whether the generator runs (switched over HTTP and from the Aspire dashboard) and how far it got.</summary>
internal sealed class OrderGeneratorControl
{
    private readonly Lock _lock = new();
    private int _generated;
    private TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OrderGeneratorControl(IOptions<OrderGeneratorOptions> options)
    {
        if (options.Value.Enabled)
        {
            Start();
        }
    }

    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _running.Task.IsCompleted;
            }
        }
    }

    /// <summary>Orders the timed generator published; bursts are not counted against its limit.</summary>
    public int Generated => Volatile.Read(ref _generated);

    public void CountGenerated() => Interlocked.Increment(ref _generated);

    public void Start()
    {
        lock (_lock)
        {
            _running.TrySetResult();
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            if (_running.Task.IsCompleted)
            {
                _running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public Task WaitUntilRunningAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _running.Task.WaitAsync(cancellationToken);
        }
    }
}
