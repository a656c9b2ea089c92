using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PocketTts.Audio;
using PocketTts.Audio.Encoders;
using PocketTts.Generation;
using PocketTts.Host.Serving.Operations;

namespace PocketTts.Host.Serving;

/// <summary>
/// Streams one generation to the client: frames from the model, through the time-stretch when <c>speed</c> ≠ 1,
/// into the encoder, onto the response (raw or as server-sent events), each 80 ms frame as soon as it is decoded.
/// The generation stops when the client disconnects, the request times out or the server's drain runs out of time; the admission
/// lease is released in every case.
/// </summary>
internal sealed class SpeechResult(SpeechJob job, IAsyncEnumerable<AudioChunk> audio, int inputTokens, GenerationLimiter.Lease lease) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using (lease)
        {
            var server = httpContext.RequestServices.GetRequiredService<SpeechServer>();
            var drain = httpContext.RequestServices.GetRequiredService<GracefulDrain>();
            var metrics = httpContext.RequestServices.GetRequiredService<ServerMetrics>();
            httpContext.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(ServerMetrics.FormatTag, job.Format.Name()));
            var logger = httpContext.RequestServices.GetRequiredService<ILogger<SpeechResult>>();
            using var timeout = new CancellationTokenSource(server.Options.RequestTimeout);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, drain.CutOff, timeout.Token);
            CancellationToken token = stop.Token;

            HttpResponse response = httpContext.Response;
            response.ContentType = job.ServerSentEvents ? "text/event-stream" : job.Format.ContentType();
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no"; // ask reverse proxies not to hold back the stream
            if (job.FileName is not null)
                response.Headers.ContentDisposition = $"attachment; filename={job.FileName}";
            httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            try
            {
                long start = Stopwatch.GetTimestamp();
                await response.StartAsync(token);
                await response.Body.FlushAsync(token); // the headers go out now: the first frame may take a moment
                using Activity? span = ServerMetrics.Tracing.StartActivity("speech.generate");
                span?.SetTag(ServerMetrics.FormatTag, job.Format.Name());
                int frames = await StreamAsync(response.Body, server, metrics, token);
                lease.Completed = true;
                double audioSeconds = frames / server.Model.Config.Mimi.FrameRate / job.Speed;
                metrics.Completed(Stopwatch.GetElapsedTime(start), audioSeconds, job.Format.Name());
                span?.SetTag("pocket_tts.frames", frames).SetTag("pocket_tts.audio_seconds", audioSeconds);
                logger.LogInformation("{Path}: {Characters} characters → {Frames} frames ({Audio:0.0} s of {Format}) in {Elapsed:0.00} s",
                    httpContext.Request.Path, job.Text.Length, frames, audioSeconds, job.Format.Name(), Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            catch (Exception e) when (token.IsCancellationRequested && e is OperationCanceledException or IOException)
            {
                // The timeout is asked first: once it cuts the stream, the client's side of the connection fails too.
                string why = timeout.IsCancellationRequested ? $"it ran past the request timeout ({server.Options.RequestTimeout.TotalSeconds:0} s)"
                    : drain.CutOff.IsCancellationRequested ? "the server stopped before it finished (--shutdown-timeout)" : "the client disconnected";
                logger.LogInformation("Generation stopped early: {Reason}.", why);
                httpContext.Abort(); // the audio is incomplete: do not let the client take it for a whole file
            }
        }
    }

    /// <returns>The model frames generated.</returns>
    private async Task<int> StreamAsync(Stream body, SpeechServer server, ServerMetrics metrics, CancellationToken token)
    {
        long start = Stopwatch.GetTimestamp();
        await using var events = job.ServerSentEvents ? new SseAudioStream(body) : null;
        Stream output = events ?? body;
        int sampleRate = server.Model.SampleRate;
        int frames = 0;
        await using (IAudioEncoder encoder = server.Encoders.Create(job.Format, output, sampleRate))
        {
            TimeStretch? stretch = job.Speed == 1f ? null : new TimeStretch(job.Speed, sampleRate);
            await foreach (AudioChunk chunk in audio.WithCancellation(token))
            {
                frames++;
                // Encoders flush after each write: that sends the frame, or makes it one SSE event.
                await encoder.WriteAsync(stretch is null ? chunk.Samples : stretch.Process(chunk.Samples), token);
                if (frames == 1)
                {
                    metrics.FirstAudio(Stopwatch.GetElapsedTime(start), job.Format.Name());
                    Activity.Current?.AddEvent(new ActivityEvent("first_audio"));
                }
            }
            if (stretch is not null)
                await encoder.WriteAsync(stretch.Flush(), token);
            await encoder.CompleteAsync(token);
        }
        if (events is not null)
            await events.WriteDoneAsync(inputTokens, frames, token);
        return frames;
    }
}
