namespace FaultyDependency;

/// <summary>A type the faulty plugin's entry point needs, so deleting this assembly breaks the plugin's load.</summary>
public sealed class Marker
{
    public string Name => "dependency present";
}
