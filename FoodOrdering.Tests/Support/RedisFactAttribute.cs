namespace FoodOrdering.Tests.Support;

/// <summary>A test against a real <c>redis-server</c>; skipped, saying why, where it is not installed.</summary>
internal sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (!File.Exists(RedisServer.Executable))
        {
            Skip = $"Needs {RedisServer.Executable} (apt-get install redis-server; .ci/run installs it).";
        }
    }
}
