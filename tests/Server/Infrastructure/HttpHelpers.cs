using System.Net.Http.Json;
using System.Text.Json;

namespace PocketTts.Tests.Server.Infrastructure;

public static class HttpHelpers
{
    public static JsonContent Speech(string input, string format = "pcm", string? voice = "tiny", object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["model"] = "pocket-tts", ["input"] = input, ["response_format"] = format };
        if (voice is not null)
            body["voice"] = voice;
        foreach (var property in extra?.GetType().GetProperties() ?? [])
            body[property.Name] = property.GetValue(extra);
        return JsonContent.Create(body);
    }

    /// <summary>Checks an OpenAI error response: status, and the error object's fields.</summary>
    public static async Task<JsonElement> ShouldBeOpenAiErrorAsync(this HttpResponseMessage response, int status, string messagePart, string? param = null)
    {
        string body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        JsonElement error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        error.GetProperty("message").GetString()!.ShouldContain(messagePart);
        error.GetProperty("type").GetString().ShouldNotBeNullOrEmpty();
        if (param is not null)
            error.GetProperty("param").GetString().ShouldBe(param);
        return error;
    }

    public static MultipartFormDataContent Form(params (string Name, object Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach ((string name, object value) in fields)
        {
            if (value is byte[] bytes)
                form.Add(new ByteArrayContent(bytes), name, name + ".wav");
            else
                form.Add(new StringContent((string)value), name);
        }
        return form;
    }
}
