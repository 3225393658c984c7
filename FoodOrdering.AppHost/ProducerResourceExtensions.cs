namespace FoodOrdering.AppHost;

/// <summary>The Producer's links and operator commands in the Aspire dashboard.</summary>
internal static class ProducerResourceExtensions
{
    private const string BurstSize = "100";

    public static IResourceBuilder<ProjectResource> WithOrderIntakeLinksAndCommands(this IResourceBuilder<ProjectResource> producer)
    {
        producer
            .WithUrlForEndpoint("http", url => url.DisplayText = "Order page")
            .WithUrls(context =>
            {
                var endpoint = context.GetEndpoint("http");
                context.Urls.Add(new ResourceUrlAnnotation { Url = "/scalar", DisplayText = "API reference", Endpoint = endpoint });
            })
            .WithHttpCommand("/generator/start", "Start generator", commandName: "generator-start",
                commandOptions: new HttpCommandOptions { Method = HttpMethod.Post, Description = "Generate orders at the configured rate", IconName = "Play" })
            .WithHttpCommand("/generator/stop", "Stop generator", commandName: "generator-stop",
                commandOptions: new HttpCommandOptions { Method = HttpMethod.Post, Description = "Stop generating orders", IconName = "Stop" })
            .WithHttpCommand("/generator/burst", $"Burst {BurstSize} orders", commandName: "generator-burst",
                commandOptions: new HttpCommandOptions
                {
                    Method = HttpMethod.Post,
                    Description = $"Publish {BurstSize} generated orders at once",
                    IconName = "Flash",
                    // The command's path is escaped as a whole, so the query goes on here.
                    PrepareRequest = context =>
                    {
                        context.Request.RequestUri = new UriBuilder(context.Request.RequestUri!) { Query = $"count={BurstSize}" }.Uri;
                        return Task.CompletedTask;
                    },
                });
        return producer;
    }
}
