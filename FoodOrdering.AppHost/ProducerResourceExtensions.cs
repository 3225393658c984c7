namespace FoodOrdering.AppHost;

/// <summary>The Producer's operator key, links, operator commands and generator default in the Aspire dashboard.</summary>
internal static class ProducerResourceExtensions
{
    public const string OperatorKeyParameter = "operator-api-key";

    private const string BurstSize = "100";

    // The header and setting of FoodOrdering.ServiceDefaults/Operators (OperatorAccess, OperatorOptions).
    private const string OperatorKeyHeader = "X-Api-Key";
    internal const string OperatorKeyVariable = "Operator__ApiKey";

    private static readonly GenerateParameterDefault GeneratedKey = new() { MinLength = 32, Special = false };

    /// <summary>
    /// The secret parameter <c>operator-api-key</c>: the key the Producer's operator endpoints require; generated
    /// once and kept in the AppHost's user secrets unless set.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddOperatorKey(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(OperatorKeyParameter, GeneratedKey, secret: true, persist: true);

    public static IResourceBuilder<ProjectResource> WithOrderIntakeLinksAndCommands(
        this IResourceBuilder<ProjectResource> producer, IResourceBuilder<ParameterResource> operatorKey)
    {
        async Task SendOperatorKey(HttpCommandRequestContext context) =>
            context.Request.Headers.Add(OperatorKeyHeader, await operatorKey.Resource.GetValueAsync(context.CancellationToken));

        producer
            .WithEnvironment(OperatorKeyVariable, operatorKey)
            .WithUrlForEndpoint("http", url => url.DisplayText = "Order page")
            .WithUrls(context =>
            {
                var endpoint = context.GetEndpoint("http");
                context.Urls.Add(new ResourceUrlAnnotation { Url = "/scalar", DisplayText = "API reference", Endpoint = endpoint });
            })
            .WithHttpCommand("/generator/start", "Start generator", commandName: "generator-start",
                commandOptions: new HttpCommandOptions { Method = HttpMethod.Post, Description = "Generate orders at the configured rate", IconName = "Play", PrepareRequest = SendOperatorKey })
            .WithHttpCommand("/generator/stop", "Stop generator", commandName: "generator-stop",
                commandOptions: new HttpCommandOptions { Method = HttpMethod.Post, Description = "Stop generating orders", IconName = "Stop", PrepareRequest = SendOperatorKey })
            .WithHttpCommand("/generator/burst", $"Burst {BurstSize} orders", commandName: "generator-burst",
                commandOptions: new HttpCommandOptions
                {
                    Method = HttpMethod.Post,
                    Description = $"Publish {BurstSize} generated orders at once",
                    IconName = "Flash",
                    // The command's path is escaped as a whole, so the query goes on here.
                    PrepareRequest = async context =>
                    {
                        context.Request.RequestUri = new UriBuilder(context.Request.RequestUri!) { Query = $"count={BurstSize}" }.Uri;
                        await SendOperatorKey(context);
                    },
                });
        return producer;
    }

    /// <summary>
    /// In External mode, and in a published deployment, the generator starts switched off: its orders would go to a
    /// real mail service and into real revenue figures. (It only ever addresses reserved domains, but a provider's
    /// sending quota is real.) The dashboard command, or <c>--OrderGenerator:Enabled true</c>, starts it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGeneratorDefault(this IResourceBuilder<ProjectResource> producer, InfrastructureMode mode) =>
        mode == InfrastructureMode.External || producer.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? producer.WithEnvironment("OrderGenerator__Enabled", "false")
            : producer;
}
