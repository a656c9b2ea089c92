using Microsoft.Extensions.DependencyInjection;

namespace PocketTts.Host.Plugins;

/// <summary>One <c>IBackendProvider</c> registration made by a plugin, remembered with the plugin it came from.</summary>
internal sealed record BackendRegistration(PluginInfo Plugin, ServiceDescriptor Descriptor);
