using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer(FoodOrdering.Tests.Support.WholeAppHostFirst.TypeName, FoodOrdering.Tests.Support.WholeAppHostFirst.AssemblyName)]

namespace FoodOrdering.Tests.Support;

/// <summary>
/// Starts the <see cref="WholeAppHostCollection"/> before every other collection. Its tests run one after another and
/// each starts a whole AppHost, so it is the longest chain in the suite: begun late, after other collections took the
/// parallel slots, the suite waits for it alone at the end. The other collections keep the order they come in.
/// </summary>
public sealed class WholeAppHostFirst : ITestCollectionOrderer
{
    internal const string TypeName = "FoodOrdering.Tests.Support.WholeAppHostFirst";
    internal const string AssemblyName = "FoodOrdering.Tests";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(collection => collection.DisplayName == WholeAppHostCollection.Name ? 0 : 1);
}
