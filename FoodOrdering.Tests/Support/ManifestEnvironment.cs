using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A resource's environment with every value shown as the manifest would show it (a parameter or an endpoint as an
/// expression), so nothing waits for ports or values that exist only at run time.
/// </summary>
internal static class ManifestEnvironment
{
    public static async Task<Dictionary<string, string>> OfAsync(IResource resource, DistributedApplicationOperation operation = DistributedApplicationOperation.Run)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(operation), resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(
            variable => variable.Key,
            variable => variable.Value switch
            {
                string text => text,
                IManifestExpressionProvider expression => expression.ValueExpression,
                var other => other.ToString() ?? "",
            });
    }
}
