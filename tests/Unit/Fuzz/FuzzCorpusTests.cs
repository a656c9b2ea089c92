using PocketTts.Fuzz;

namespace PocketTts.Tests.Unit.Fuzz;

/// <summary>
/// Replays what <c>scripts/fuzz.sh</c> keeps: every crash afl-fuzz found (tests/Unit/TestData/fuzz/TARGET/) must now
/// end in the parser's clear error, and every seed it starts from (tests/Fuzz/Seeds/TARGET/) must parse, so that the
/// fuzzer explores valid inputs and not only the first check.
/// </summary>
public class FuzzCorpusTests
{
    private static readonly string Crashes = Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz");
    private static readonly string Seeds = Path.Combine(AppContext.BaseDirectory, "FuzzSeeds");

    public static TheoryData<string, string> CrashFiles => Files(Crashes);

    public static TheoryData<string, string> SeedFiles => Files(Seeds);

    private static TheoryData<string, string> Files(string root)
    {
        var data = new TheoryData<string, string>();
        foreach (string folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            foreach (string file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CrashFiles))]
    public void A_crash_the_fuzzer_found_is_now_a_clear_error(string target, string file)
    {
        FuzzTargets.All.ShouldContainKey(target, "each corpus folder is named after a fuzz target");
        FuzzTarget fuzz = FuzzTargets.All[target];
        byte[] input = File.ReadAllBytes(Path.Combine(Crashes, target, file));

        Exception? error = Record.Exception(() => fuzz.Parse(input));

        if (error is null)
            return;
        fuzz.IsClear(error).ShouldBeTrue($"{target}/{file} escaped as {error}");
        error.Message.ShouldNotContain("Exception");
        error.Message.ShouldNotContain("Index was outside the bounds of the array");
    }

    [Theory]
    [MemberData(nameof(SeedFiles))]
    public void A_seed_of_the_fuzzer_parses(string target, string file)
    {
        FuzzTargets.All.ShouldContainKey(target, "each seed folder is named after a fuzz target");
        Should.NotThrow(() => FuzzTargets.All[target].Parse(File.ReadAllBytes(Path.Combine(Seeds, target, file))));
    }

    [Fact]
    public void Every_target_has_seeds()
    {
        Directory.GetDirectories(Seeds).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(FuzzTargets.All.Keys.Order(StringComparer.Ordinal));
    }
}
