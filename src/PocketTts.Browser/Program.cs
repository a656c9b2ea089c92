// The runtime starts here when the page calls dotnet.create(); the work is done through BrowserApi's exports.
return;
