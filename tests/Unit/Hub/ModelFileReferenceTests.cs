using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

public sealed class ModelFileReferenceTests
{
    [Fact]
    public void An_hf_reference_is_a_hub_file() =>
        ModelFileReference.Parse("hf://kyutai/pocket-tts/tokenizer.model@main")
            .ShouldBe(new ModelFileReference.HubFile(new HfPath("kyutai/pocket-tts", "tokenizer.model")));

    [Theory]
    [InlineData("https://example.com/voices/alba.wav")]
    [InlineData("http://127.0.0.1:8000/voice.mp3?dl=1")]
    public void An_http_url_is_a_web_file_keeping_its_text(string url)
    {
        var web = ModelFileReference.Parse(url).ShouldBeOfType<ModelFileReference.WebFile>();

        web.Url.OriginalString.ShouldBe(url);
    }

    [Fact]
    public void A_relative_path_is_resolved_against_the_base_directory()
    {
        string baseDirectory = Path.Join(Path.GetTempPath(), "configs");

        var local = ModelFileReference.Parse("weights/model.safetensors", baseDirectory).ShouldBeOfType<ModelFileReference.LocalFile>();

        local.FullPath.ShouldBe(Path.Join(baseDirectory, "weights", "model.safetensors"));
    }

    [Fact]
    public void An_absolute_path_ignores_the_base_directory()
    {
        string absolute = Path.Join(Path.GetTempPath(), "model.safetensors");

        ModelFileReference.Parse(absolute, "/elsewhere").ShouldBe(new ModelFileReference.LocalFile(absolute));
    }

    [Theory]
    [InlineData("ftp://example.com/model.safetensors")]
    [InlineData("s3://bucket/model.safetensors")]
    public void Other_schemes_are_rejected_listing_what_is_accepted(string reference)
    {
        FormatException e = Should.Throw<FormatException>(() => ModelFileReference.Parse(reference));

        e.Message.ShouldContain($"'{reference}' is not a supported file reference");
        e.Message.ShouldContain("hf://<org>/<repo>/<path>[@<revision>], http:// or https:// URLs, and local paths");
    }

    [Fact]
    public void A_malformed_hf_reference_says_why() =>
        Should.Throw<FormatException>(() => ModelFileReference.Parse("hf://kyutai/pocket-tts")).Message
            .ShouldContain("it names no file inside the repository");

    [Fact]
    public void An_empty_reference_is_rejected() =>
        Should.Throw<ArgumentException>(() => ModelFileReference.Parse(" "));
}
