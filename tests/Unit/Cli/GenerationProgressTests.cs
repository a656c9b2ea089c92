using PocketTts.Generation;
using PocketTts.Host.Cli;

namespace PocketTts.Tests.Unit.Cli;

/// <summary>Issue 23: the progress and summary lines of a generation, and when they are shown at all.</summary>
public sealed class GenerationProgressTests
{
    private static AudioChunk Chunk(double seconds, int textChunk) => new(new float[(int)(seconds * 24000)], 24000, textChunk, 0);

    [Fact]
    public async Task Progress_counts_audio_and_text_chunks_against_the_clock_and_keeps_the_first_chunk_latency()
    {
        var now = TimeSpan.Zero;
        var progress = new GenerationProgress(() => now);
        var reports = new List<string>();

        async IAsyncEnumerable<AudioChunk> Audio()
        {
            now = TimeSpan.FromSeconds(0.3);
            yield return Chunk(0.5, 0);
            now = TimeSpan.FromSeconds(0.5);
            yield return Chunk(1.5, 0);
            now = TimeSpan.FromSeconds(1.0);
            yield return Chunk(2.0, 1);
            await Task.CompletedTask;
        }

        int chunks = 0;
        await foreach (AudioChunk _ in progress.Track(Audio(), reports.Add))
            chunks++;
        now = TimeSpan.FromSeconds(1.2);

        chunks.ShouldBe(3);
        reports.ShouldBe([
            "text chunk 1, 0.5 s of audio, 0.3 s elapsed, RTF 0.60",
            "text chunk 1, 2.0 s of audio, 0.5 s elapsed, RTF 0.25",
            "text chunk 2, 4.0 s of audio, 1.0 s elapsed, RTF 0.25",
        ]);
        progress.FirstChunkLatency.ShouldBe(TimeSpan.FromSeconds(0.3));
        progress.Summary().ShouldBe("4.0 s of audio in 1.2 s (RTF 0.30), first audio after 0.30 s");
    }

    [Fact]
    public void A_generation_without_audio_summarises_as_zero_rather_than_dividing_by_it()
    {
        new GenerationProgress(() => TimeSpan.FromSeconds(2)).Summary().ShouldBe("0.0 s of audio in 2.0 s (RTF 0.00), first audio after 2.00 s");
    }

    [Theory]
    [InlineData(false, true, true)]
    [InlineData(true, true, false)]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    public void Progress_is_shown_only_to_a_person_at_a_terminal_who_did_not_ask_for_quiet(bool quiet, bool errorIsTerminal, bool shown)
    {
        TerminalStatus.Shows(quiet, errorIsTerminal).ShouldBe(shown);
    }

    [Fact]
    public async Task A_writer_that_is_not_the_console_gets_no_progress_and_no_summary()
    {
        var error = new StringWriter();
        int result = await TerminalStatus.RunAsync(error, quiet: false, "Working…", report => { report("half way"); return Task.FromResult(7); }, r => $"done {r}");

        result.ShouldBe(7);
        TerminalStatus.IsTerminal(error).ShouldBeFalse();
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public void Downloads_end_with_files_size_time_and_speed()
    {
        DownloadProgressDisplay.Summary(3, 236_400_000, TimeSpan.FromSeconds(12)).ShouldBe("Downloaded 3 files, 236.4 MB in 12.0 s (19.7 MB/s)");
        DownloadProgressDisplay.Summary(1, 500_000, TimeSpan.Zero).ShouldBe("Downloaded 1 file, 0.5 MB in 0.0 s (500.0 MB/s)");
    }
}
