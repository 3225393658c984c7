namespace FoodOrdering.AppHost;

/// <summary>
/// Marks a resource that runs once and exits 0 when its work is done (the topic step, the Kibana password step),
/// and that others wait for with <c>WaitForCompletion</c>. The manifest format has no field for it, so
/// docs/deploy.md says how each deployment tool is told: a Kubernetes Job, a Compose service with
/// <c>restart: "no"</c> that the others wait for with <c>service_completed_successfully</c>.
/// </summary>
internal sealed class OneShotStepAnnotation : IResourceAnnotation;

internal static class OneShotStepExtensions
{
    public static IResourceBuilder<T> AsOneShotStep<T>(this IResourceBuilder<T> step) where T : IResource =>
        step.WithAnnotation(new OneShotStepAnnotation());
}
