namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>A fact that needs Debian's <c>prometheus</c> server: skipped, with the reason, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    /// <summary>The prometheus executable.</summary>
    public const string Path = "/usr/bin/prometheus";

    public PrometheusFactAttribute()
    {
        if (!File.Exists(Path))
            Skip = $"prometheus is not installed ({Path}; apt-get install prometheus).";
    }
}
