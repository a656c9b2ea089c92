using System.Buffers;
using System.Diagnostics;
using System.Globalization;

namespace PocketTts.Audio.Encoders;

/// <summary>
/// mp3, aac (ADTS) and flac through an ffmpeg process: 16-bit PCM goes to its standard input, and a pump copies its
/// standard output to the response as ffmpeg produces it. The process is killed if the response ends early. A flac
/// written into a seekable output (a file) gets its true length afterwards: ffmpeg cannot seek back in a pipe.
/// </summary>
internal sealed class FfmpegEncoder : IAudioEncoder
{
    private readonly Process _process;
    private readonly Task _pump;
    private readonly Stream _input;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<string> _errors;
    private readonly CancellationTokenRegistration _killOnStop;
    private readonly AudioFormat _format;
    private readonly Stream _output;
    private readonly long _start;
    private readonly int _sampleRate;
    private long _samples;

    public FfmpegEncoder(string ffmpegPath, AudioFormat format, Stream output, int sampleRate)
    {
        (_format, _output, _sampleRate) = (format, output, sampleRate);
        _start = output.CanSeek ? output.Position : -1;
        string rate = sampleRate.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["-hide_banner", "-loglevel", "error", "-f", "s16le", "-ar", rate, "-ac", "1", "-i", "pipe:0", .. OutputArguments(format), "pipe:1"])
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ffmpegPath}.");
        _input = _process.StandardInput.BaseStream;
        _errors = _process.StandardError.ReadToEndAsync();
        _pump = PumpAsync(_process.StandardOutput.BaseStream, output, _stop.Token);
        // A pipe write cannot always be cancelled: killing ffmpeg is what unblocks a writer whose reader is gone.
        _killOnStop = _stop.Token.Register(Kill);
    }

    /// <summary>Codec and container per format; flac and mp3 leave the sizes out of their headers, as a pipe cannot seek.</summary>
    private static string[] OutputArguments(AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => ["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"],
        AudioFormat.Aac => ["-c:a", "aac", "-b:a", "64k", "-f", "adts"],
        AudioFormat.Flac => ["-c:a", "flac", "-f", "flac"],
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "ffmpeg encodes only mp3, aac and flac here."),
    };

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        int bytes = Pcm16.BytesPerSample * samples.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            await using CancellationTokenRegistration kill = cancellationToken.Register(Kill);
            Pcm16.Encode(samples.Span, buffer);
            await _input.WriteAsync(buffer.AsMemory(0, bytes), cancellationToken);
            await _input.FlushAsync(cancellationToken);
            _samples += samples.Length;
        }
        catch (IOException) when (_process.HasExited)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_pump.IsFaulted)
                await _pump; // the response failed first: report that
            throw await FailureAsync();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await _input.DisposeAsync(); // end of input: ffmpeg writes its last frames and exits
        await _pump.WaitAsync(cancellationToken);
        await _process.WaitForExitAsync(cancellationToken);
        if (_process.ExitCode != 0)
            throw await FailureAsync();
        if (_format == AudioFormat.Flac && _start >= 0)
            await FlacStreamInfo.WriteTotalSamplesAsync(_output, _start, _sampleRate, _samples, cancellationToken);
    }

    private async Task<Exception> FailureAsync()
    {
        string errors = (await _errors).Trim();
        return new IOException($"ffmpeg failed (exit code {(_process.HasExited ? _process.ExitCode : -1)}): {errors}");
    }

    private async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await to.FlushAsync(cancellationToken);
            }
        }
        catch
        {
            Kill(); // the response is gone: stop ffmpeg so the writer does not block on a full pipe
            throw;
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited in between.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _killOnStop.DisposeAsync();
        try
        {
            await _pump;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The response ended early (client gone, generation failed): the pump's failure is expected.
        }
        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
        _stop.Dispose();
    }
}
