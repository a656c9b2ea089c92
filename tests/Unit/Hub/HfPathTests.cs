using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

public sealed class HfPathTests
{
    [Fact]
    public void Parses_a_reference_with_a_commit_revision()
    {
        var path = HfPath.Parse("hf://kyutai/pocket-tts/languages/english/model.safetensors@39592ff23c9ef80098bb74895d104c26275fe2c9");

        path.RepoId.ShouldBe("kyutai/pocket-tts");
        path.FilePath.ShouldBe("languages/english/model.safetensors");
        path.FileName.ShouldBe("model.safetensors");
        path.Revision.ShouldBe("39592ff23c9ef80098bb74895d104c26275fe2c9");
        path.IsCommitHash.ShouldBeTrue();
    }

    [Fact]
    public void A_missing_revision_is_main()
    {
        var path = HfPath.Parse("hf://kyutai/tts-voices/alba-mackenna/casual.wav");

        path.Revision.ShouldBe("main");
        path.IsCommitHash.ShouldBeFalse();
        path.ToString().ShouldBe("hf://kyutai/tts-voices/alba-mackenna/casual.wav@main");
    }

    [Fact]
    public void The_resolve_url_escapes_path_segments_and_the_revision()
    {
        var path = new HfPath("org/repo", "a dir/voice #1.wav", "refs/pr/1");

        path.ResolveUri(new Uri("https://hf-mirror.example/prefix/")).AbsoluteUri
            .ShouldBe("https://hf-mirror.example/prefix/org/repo/resolve/refs%2Fpr%2F1/a%20dir/voice%20%231.wav");
    }

    [Fact]
    public void Equal_references_are_equal() =>
        HfPath.Parse("hf://a/b/c.txt").ShouldBe(new HfPath("a/b", "c.txt", "main"));

    [Theory]
    [InlineData("kyutai/pocket-tts/model.safetensors", "it does not start with hf://")]
    [InlineData("hf://kyutai/pocket-tts", "it names no file inside the repository")]
    [InlineData("hf://kyutai/pocket-tts/", "it names no file inside the repository")]
    [InlineData("hf://kyutai/pocket-tts@main/model.safetensors", "it names no file inside the repository")]
    [InlineData("hf://kyutai/pocket-tts/languages//model.safetensors", "has an empty segment")]
    [InlineData("hf://kyutai/pocket-tts/../secrets", "has a '..' segment")]
    [InlineData("hf://kyutai/pocket-tts/model.safetensors@", "the revision after '@' is empty")]
    [InlineData("hf://kyutai/pocket-tts/model.safetensors@a@b", "more than one '@'")]
    [InlineData("hf://kyutai/pocket-tts/model.safetensors@../main", "'../main' is not a valid revision")]
    [InlineData("hf://kyu tai/pocket-tts/model.safetensors", "'kyu tai' is not a valid organisation or repository name")]
    [InlineData("hf://kyutai/pocket--tts/model.safetensors", "'pocket--tts' is not a valid organisation or repository name")]
    public void Invalid_references_are_rejected_with_the_reason_and_the_syntax(string text, string reason)
    {
        FormatException e = Should.Throw<FormatException>(() => HfPath.Parse(text));

        e.Message.ShouldContain(reason);
        e.Message.ShouldContain("expected hf://<org>/<repo>/<path/in/repo>[@<revision>]");
    }
}
