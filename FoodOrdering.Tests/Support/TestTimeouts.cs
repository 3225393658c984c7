namespace FoodOrdering.Tests.Support;

/// <summary>
/// The suite's deadlines, named for what they bound. A deadline only ends a test that has already gone wrong, so each
/// is set for the slowest honest case of what it bounds: the suite beside other builds and suites on two cores.
/// A test that needs a deadline picks the one naming its wait; a bound a test asserts (a guarantee such as "within a
/// minute") is that test's own and is not one of these.
/// </summary>
internal static class TestTimeouts
{
    /// <summary>
    /// One request or read that answers at once when it works: an HTTP call to a server in this process, a metadata
    /// or offsets request to the embedded broker, a topic read, a stand-in process starting.
    /// </summary>
    public static readonly TimeSpan Call = TimeSpan.FromSeconds(20);

    /// <summary>
    /// One step of the services in this process: records through one or several of them, which takes in their consumer
    /// groups forming (the embedded broker ends a rebalance round only when a timer of the session timeout runs out,
    /// and cooperative rebalancing takes two rounds) and their retries of a failed record.
    /// </summary>
    public static readonly TimeSpan PipelineStep = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A step across a fault and the recovery from it: a killed process's partitions taken over once its session
    /// expires, a broker or a downstream server away and back, replicas rebalancing, re-driven dead letters, or
    /// thousands of records through the whole pipeline.
    /// </summary>
    public static readonly TimeSpan Recovery = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Headless Chromium started through chromedriver and a page of a service in this process showing an element,
    /// after the page's own requests to that service.
    /// </summary>
    public static readonly TimeSpan BrowserPage = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A run of the whole AppHost in Embedded mode: every project launched by the orchestrator as <c>dotnet run</c>
    /// would, the dashboard, and each resource healthy, then the test's work on it. Also a publish run.
    /// </summary>
    public static readonly TimeSpan AppHostRun = TimeSpan.FromMinutes(3);

    /// <summary>A run of the AppHost in Containers mode, which pulls and starts Kafka, Mailpit, Elasticsearch and Kibana.</summary>
    public static readonly TimeSpan ContainersAppHostRun = TimeSpan.FromMinutes(5);
}
