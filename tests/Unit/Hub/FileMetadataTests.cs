using System.Net;
using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

public sealed class FileMetadataTests
{
    private static readonly Uri Url = new("https://huggingface.co/org/repo/resolve/main/file.bin");
    private const string Commit = "39592ff23c9ef80098bb74895d104c26275fe2c9";

    [Theory]
    [InlineData("\"abc123\"", "abc123")]
    [InlineData("W/\"abc123\"", "abc123")]
    [InlineData("abc123", "abc123")]
    public void Etags_lose_the_weak_prefix_and_the_quotes(string header, string etag) =>
        FileMetadata.NormalizeEtag(header).ShouldBe(etag);

    [Fact]
    public void The_linked_etag_and_size_of_a_redirect_win_over_its_own()
    {
        string sha256 = new('a', 64);
        using var response = new HttpResponseMessage(HttpStatusCode.Found);
        response.Headers.Add("X-Repo-Commit", Commit);
        response.Headers.Add("X-Linked-Etag", $"\"{sha256}\"");
        response.Headers.Add("X-Linked-Size", "1234");
        response.Headers.TryAddWithoutValidation("ETag", "\"pointer\"");
        response.Headers.Location = new Uri("https://cdn.example/blob?signature=x");

        FileMetadata metadata = FileMetadata.FromHeadResponse(response, Url);

        metadata.ShouldBe(new FileMetadata(Commit, sha256, 1234, new Uri("https://cdn.example/blob?signature=x")));
        metadata.IsSha256.ShouldBeTrue();
    }

    [Fact]
    public void A_response_without_a_commit_is_not_from_a_hub()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("ETag", "\"abc\"");

        HubException e = Should.Throw<HubException>(() => FileMetadata.FromHeadResponse(response, Url));

        e.Message.ShouldContain("X-Repo-Commit header missing");
        e.Message.ShouldContain("is HF_ENDPOINT a Hugging Face Hub?");
    }

    [Fact]
    public void An_etag_that_is_not_a_plain_name_is_refused_because_it_becomes_a_file_name()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("X-Repo-Commit", Commit);
        response.Headers.TryAddWithoutValidation("ETag", "\"../../escape\"");

        Should.Throw<HubException>(() => FileMetadata.FromHeadResponse(response, Url)).Message.ShouldContain("no usable ETag ('../../escape')");
    }
}
