using Aspire.Hosting.ApplicationModel;

namespace FoodOrdering.Embedded;

/// <summary>A value known only once an in-process resource has started (a port the OS picked, say).</summary>
internal sealed class StartedValue(string description) : IValueProvider, IManifestExpressionProvider
{
    private readonly TaskCompletionSource<string> _value = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ValueExpression => description;

    public void Set(string value) => _value.TrySetResult(value);

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
        new(_value.Task.WaitAsync(cancellationToken)!);
}
