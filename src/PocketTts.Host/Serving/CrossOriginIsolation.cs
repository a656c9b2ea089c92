using Microsoft.AspNetCore.Http;

namespace PocketTts.Host.Serving;

/// <summary>
/// The two headers that make a page cross-origin isolated, which gives it SharedArrayBuffer and so WebAssembly threads
/// (onnxruntime-web's multi-threaded engine). A page with them can load only same-origin resources or resources that
/// opt in (CORP/CORS), which the browser demo's files all are.
/// </summary>
internal static class CrossOriginIsolation
{
    public static void Apply(IHeaderDictionary headers)
    {
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
}
