namespace FoodOrdering.Tests.Support;

/// <summary>Waits for a condition with a deadline instead of sleeping for a guessed time.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {timeout}: {describe()}");
            }
        }
    }
}
