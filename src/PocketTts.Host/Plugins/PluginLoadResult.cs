using Microsoft.Extensions.DependencyInjection;

namespace PocketTts.Host.Plugins;

/// <summary>Every plugin folder found, every service the loaded ones registered, and among them the backend providers.</summary>
internal sealed record PluginLoadResult(IReadOnlyList<PluginInfo> Plugins, IReadOnlyList<ServiceDescriptor> Services, IReadOnlyList<BackendRegistration> Registrations);
