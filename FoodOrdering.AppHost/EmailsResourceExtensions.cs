namespace FoodOrdering.AppHost;

internal static class EmailsResourceExtensions
{
    /// <summary>
    /// Runs <c>--Emails:Replicas N</c> copies (default 1) that share the partitions of orders.confirmed as one
    /// consumer group; an email is sent again only for offsets not yet committed when partitions move.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEmailsReplicas(this IResourceBuilder<ProjectResource> emails) =>
        emails.WithReplicas(emails.ApplicationBuilder.ConfiguredReplicas("Emails"));
}
