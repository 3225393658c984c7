using System.Reflection;

namespace FoodOrdering.Tests.Support;

/// <summary>What the tests reference of the product: every project's assembly is copied next to them.</summary>
internal static class ShippedAssemblies
{
    public static IEnumerable<Assembly> All() =>
        Directory.GetFiles(AppContext.BaseDirectory, "FoodOrdering.*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name != typeof(ShippedAssemblies).Assembly.GetName().Name)
            .Order(StringComparer.Ordinal)
            .Select(name => Assembly.Load(new AssemblyName(name!)));

    /// <summary>The assembly's types, those that load when some do not.</summary>
    public static IEnumerable<Type> Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
