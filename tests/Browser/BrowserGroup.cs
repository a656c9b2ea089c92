namespace PocketTts.Tests.Browser;

/// <summary>
/// Every browser test shares one <see cref="BrowserHost"/>: one publish of the browser build (two publishes at once
/// would race on the same obj/ folder), one server and one Chromium.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserHost>
{
    public const string Name = "Browser";
}
