using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

public sealed class HubOptionsTests : IDisposable
{
    private readonly string _home = Path.Join(Path.GetTempPath(), "pocket-tts-hub-options", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public HubOptionsTests()
    {
        Directory.CreateDirectory(_home);
        _environment["HOME"] = _home;
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private HubOptions Read() => HubOptions.FromEnvironment(name => _environment.GetValueOrDefault(name));

    [Fact]
    public void Defaults_follow_huggingface_hub_and_the_reference()
    {
        HubOptions options = Read();

        options.Endpoint.ShouldBe(new Uri("https://huggingface.co"));
        options.CacheDirectory.ShouldBe(Path.Join(_home, ".cache", "huggingface", "hub"));
        options.PocketTtsCacheDirectory.ShouldBe(Path.Join(_home, ".cache", "pocket_tts"));
        options.Token.ShouldBeNull();
        options.Offline.ShouldBeFalse();
    }

    [Fact]
    public void The_login_token_file_is_read_from_the_default_hf_home()
    {
        Directory.CreateDirectory(Path.Join(_home, ".cache", "huggingface"));
        File.WriteAllText(Path.Join(_home, ".cache", "huggingface", "token"), "hf_from_login\n");

        Read().Token.ShouldBe("hf_from_login");
    }

    [Fact]
    public void Hf_home_moves_the_cache_and_the_token_file()
    {
        string hfHome = Path.Join(_home, "hf");
        Directory.CreateDirectory(hfHome);
        File.WriteAllText(Path.Join(hfHome, "token"), "hf_in_hf_home");
        _environment["HF_HOME"] = hfHome;

        HubOptions options = Read();

        options.CacheDirectory.ShouldBe(Path.Join(hfHome, "hub"));
        options.Token.ShouldBe("hf_in_hf_home");
    }

    [Fact]
    public void Xdg_cache_home_moves_the_default_hf_home()
    {
        _environment["XDG_CACHE_HOME"] = Path.Join(_home, "xdg");

        Read().CacheDirectory.ShouldBe(Path.Join(_home, "xdg", "huggingface", "hub"));
    }

    [Fact]
    public void Hf_hub_cache_wins_over_hf_home_and_a_tilde_is_the_home_folder()
    {
        _environment["HF_HOME"] = "/ignored";
        _environment["HF_HUB_CACHE"] = "~/models";

        Read().CacheDirectory.ShouldBe(Path.Join(_home, "models"));
    }

    [Fact]
    public void Hf_token_wins_over_the_token_file_and_hf_token_path_names_the_file()
    {
        string tokenFile = Path.Join(_home, "my-token");
        File.WriteAllText(tokenFile, " hf_from_file ");
        _environment["HF_TOKEN_PATH"] = tokenFile;

        Read().Token.ShouldBe("hf_from_file");
        _environment["HF_TOKEN"] = "hf_from_env";
        Read().Token.ShouldBe("hf_from_env");
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("on", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("", false)]
    public void Hf_hub_offline_accepts_huggingface_hub_truthy_values(string value, bool offline)
    {
        _environment["HF_HUB_OFFLINE"] = value;

        Read().Offline.ShouldBe(offline);
    }

    [Fact]
    public void Hf_endpoint_and_pocket_tts_cache_are_read()
    {
        _environment["HF_ENDPOINT"] = "https://hf-mirror.example/";
        _environment["POCKET_TTS_CACHE"] = Path.Join(_home, "voices");

        HubOptions options = Read();

        options.Endpoint.ShouldBe(new Uri("https://hf-mirror.example"));
        options.PocketTtsCacheDirectory.ShouldBe(Path.Join(_home, "voices"));
    }

    [Fact]
    public void A_malformed_endpoint_is_rejected_naming_the_variable()
    {
        _environment["HF_ENDPOINT"] = "huggingface.co";

        Should.Throw<ArgumentException>(Read).Message.ShouldContain("HF_ENDPOINT 'huggingface.co' is not an absolute http:// or https:// URL");
    }

    [Fact]
    public void The_token_never_appears_in_the_text_of_the_options()
    {
        _environment["HF_TOKEN"] = "hf_very_secret";

        string text = Read().ToString();

        text.ShouldNotContain("hf_very_secret");
        text.ShouldContain("Token = (set)");
    }
}
