using Microsoft.AspNetCore.Http;

namespace PocketTts.Host.Serving;

/// <summary>Reads a multipart form within the upload limit, with errors in OpenAI's shape.</summary>
internal static class UploadedForm
{
    /// <exception cref="ApiException">415 for a body that is not multipart; 400 for a malformed one (no boundary,
    /// truncated, another boundary than announced, too many fields); 413 for one over the limit.</exception>
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        RequestContentType.RequireMultipart(request);
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)   // a body over the upload limit is refused by Kestrel first (413), whose limit is the form reader's
        {
            // The form reader's own words (count, line and boundary limits) name the limit and nothing of the server.
            throw ApiException.BadRequest($"The multipart/form-data body is malformed: {e.Message}", code: "invalid_multipart");
        }
        catch (IOException e) when (e is not BadHttpRequestException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw ApiException.BadRequest(
                "The multipart/form-data body ended before its closing boundary: it is truncated, or its parts do not use the boundary its Content-Type names.",
                code: "invalid_multipart");
        }
    }

    /// <summary>The bytes of an uploaded file.</summary>
    /// <exception cref="ApiException">413 when the file is larger than <paramref name="maxBytes"/>; 400 when it is empty.</exception>
    public static async Task<byte[]> ReadFileAsync(IFormFile file, long maxBytes, string param, CancellationToken cancellationToken)
    {
        if (file.Length > maxBytes)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"{param} has {file.Length} bytes; the limit is {maxBytes} (--max-upload-mb).", param, "file_too_large");
        if (file.Length == 0)
            throw ApiException.BadRequest($"{param} is an empty file.", param, "invalid_audio");
        using var memory = new MemoryStream((int)file.Length);
        await file.CopyToAsync(memory, cancellationToken);
        return memory.ToArray();
    }

    /// <summary>An optional true/false field.</summary>
    public static bool? ReadBool(IFormCollection form, string name)
    {
        string? text = form[name];
        if (string.IsNullOrEmpty(text))
            return null;
        return bool.TryParse(text, out bool value)
            ? value
            : throw ApiException.BadRequest($"{name} must be true or false, not '{text}'.", name, "invalid_type");
    }

    /// <summary>An optional integer field.</summary>
    public static int? ReadInt(IFormCollection form, string name)
    {
        string? text = form[name];
        if (string.IsNullOrEmpty(text))
            return null;
        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int value)
            ? value
            : throw ApiException.BadRequest($"{name} must be an integer, not '{text}'.", name, "invalid_type");
    }

    /// <summary>An optional number field (invariant culture: a dot before the decimals).</summary>
    public static float? ReadFloat(IFormCollection form, string name)
    {
        string? text = form[name];
        if (string.IsNullOrEmpty(text))
            return null;
        return float.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float value)
            ? value
            : throw ApiException.BadRequest($"{name} must be a number, not '{text}'.", name, "invalid_type");
    }
}
