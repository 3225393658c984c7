using FoodOrdering.Embedded;

namespace FoodOrdering.AppHost;

internal static class TopicProvisioningResourceExtensions
{
    /// <summary>
    /// The one-shot step that creates the topics (FoodOrdering.TopicProvisioner, <c>--TopicProvisioning:…</c>
    /// settings), run once Kafka is up; the services wait for it to finish. It is the same step in a run and in a
    /// published deployment, so a deployment never starts on missing topics. None for the embedded broker: it
    /// lives in the AppHost and starts with its topics (a mock cluster has no controller to take CreateTopics).
    /// </summary>
    public static IResourceBuilder<ProjectResource>? AddTopicProvisioning(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<IResourceWithConnectionString> kafka) =>
        kafka.Resource is EmbeddedKafkaResource
            ? null
            : builder.AddProject<Projects.FoodOrdering_TopicProvisioner>(name)
                .WithoutDevelopmentCertificate()
                .WithKafka(kafka)
                .AsOneShotStep()
                .WithParentRelationship(kafka)
                .WithSettings(SettingsSections.TopicProvisioning);

    /// <summary><see cref="KafkaReferenceExtensions.WithKafka"/>, and waits for the topics to be in place when a step makes them.</summary>
    public static IResourceBuilder<ProjectResource> WithKafka(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString> kafka, IResourceBuilder<ProjectResource>? topics) =>
        topics is null ? service.WithKafka(kafka) : service.WithKafka(kafka).WaitForCompletion(topics);
}
