using System.Numerics;

namespace PocketTts.Audio;

/// <summary>
/// OpenAI's <c>speed</c> (0.25–4): changes the tempo without changing the pitch, by WSOLA (waveform-similarity
/// overlap-add). Output frames of <see cref="WindowSamples"/> samples, Hann-windowed, are laid down every
/// <c>Hs</c> = window / 2 samples; frame k is read from the input near position k · Ha with Ha = speed · Hs, at the
/// offset within ±<see cref="ToleranceSamples"/> whose start best matches the natural continuation of frame k − 1
/// (so waveforms overlap in phase and no pitch or echo artefacts appear):
/// <code>
/// input   |--frame k-1--|                 natural continuation = input[pos(k-1) + Hs ..]
///                |~~search k·Ha ± tolerance~~|  → pos(k) = argmax Σ continuation · candidate
/// output  |--frame k-1--|
///                |--frame k--|   (overlap-added at k·Hs; periodic Hann halves sum to 1)
/// </code>
/// Streaming: <see cref="Process"/> takes any amount of input and returns the output that is final so far;
/// <see cref="Flush"/> returns the rest, trimmed to round(input / speed) samples. One instance per stream.
/// </summary>
public sealed class TimeStretch
{
    /// <summary>The slowest tempo factor (four times as long).</summary>
    public const float MinSpeed = 0.25f;

    /// <summary>The fastest tempo factor (a quarter as long).</summary>
    public const float MaxSpeed = 4f;

    private readonly float _speed;
    private readonly int _hop;                 // Hs: output hop
    private readonly float[] _window;
    private readonly List<float> _output = []; // overlap-add accumulator, from output index _outputStart
    private float[] _input = new float[8192];  // input samples from absolute index _inputStart
    private int _inputCount;
    private long _inputStart;
    private long _inputTotal;                  // real input samples received (without the lead-in)
    private long _outputStart;
    private long _emitted;
    private long _frame;                       // next output frame index
    private long _previousPosition = -1;       // absolute input position of the last frame read
    private float[] _result = [];

    /// <param name="speed">Tempo factor, 0.25 to 4 (2 = twice as fast, half as long).</param>
    /// <param name="sampleRate">Samples per second; sets the 40 ms window and 10 ms search tolerance.</param>
    public TimeStretch(float speed, int sampleRate)
    {
        if (!(speed >= MinSpeed && speed <= MaxSpeed))
            throw new ArgumentOutOfRangeException(nameof(speed), speed, $"speed must be between {MinSpeed} and {MaxSpeed}.");
        _speed = speed;
        WindowSamples = sampleRate / 25 / 2 * 2;
        ToleranceSamples = sampleRate / 100;
        _hop = WindowSamples / 2;
        _window = new float[WindowSamples];
        for (int i = 0; i < WindowSamples; i++)
            _window[i] = 0.5f - (0.5f * MathF.Cos(2 * MathF.PI * i / WindowSamples)); // periodic Hann
        // Lead-in of Ha silent samples, so output sample Hs (the first with full window overlap) maps to input 0.
        AppendInput(new float[LeadIn]);
    }

    /// <summary>Samples per analysis and synthesis frame (40 ms).</summary>
    public int WindowSamples { get; }

    /// <summary>How far, in samples, a frame's read position may move to match the previous frame (10 ms).</summary>
    public int ToleranceSamples { get; }

    private int LeadIn => (int)Math.Round(_speed * _hop);

    /// <summary>Adds input; returns output that no later input can change (valid until the next call).</summary>
    public ReadOnlyMemory<float> Process(ReadOnlySpan<float> samples)
    {
        AppendInput(samples);
        _inputTotal += samples.Length;
        while (CanRead(_frame))
            AddFrame();
        // Output before the next frame's start is final; never run ahead of input / speed, so Flush can trim exactly.
        return Emit(Math.Min(_frame * _hop, (long)(_inputTotal / (double)_speed) + _hop));
    }

    /// <summary>Ends the stream: returns the remaining output, so that the whole output has round(input / speed) samples.</summary>
    public ReadOnlyMemory<float> Flush()
    {
        long target = (long)Math.Round(_inputTotal / (double)_speed);
        AppendInput(new float[WindowSamples + (2 * ToleranceSamples) + (int)Math.Ceiling(_speed * _hop)]);
        while (_frame * _hop < target + (2 * _hop) && CanRead(_frame))
            AddFrame();
        return Emit(target + _hop);
    }

    private long Nominal(long frame) => (long)Math.Round(frame * _speed * _hop);

    private bool CanRead(long frame)
    {
        long end = _inputStart + _inputCount;
        bool candidatesReady = Nominal(frame) + ToleranceSamples + WindowSamples <= end;
        bool continuationReady = _previousPosition < 0 || _previousPosition + _hop + WindowSamples <= end;
        return candidatesReady && continuationReady;
    }

    private void AddFrame()
    {
        long position = _previousPosition < 0 ? 0 : BestPosition(Nominal(_frame));
        ReadOnlySpan<float> source = _input.AsSpan((int)(position - _inputStart), WindowSamples);
        int offset = (int)((_frame * _hop) - _outputStart);
        while (_output.Count < offset + WindowSamples)
            _output.Add(0f);
        for (int i = 0; i < WindowSamples; i++)
            _output[offset + i] += source[i] * _window[i];
        _previousPosition = position;
        _frame++;
        DropConsumedInput();
    }

    private long BestPosition(long nominal)
    {
        ReadOnlySpan<float> continuation = _input.AsSpan((int)(_previousPosition + _hop - _inputStart), _hop);
        // Ties (silence) keep the nominal position, so timing does not drift.
        long best = nominal;
        float bestScore = Score(continuation, nominal);
        for (long candidate = Math.Max(nominal - ToleranceSamples, _inputStart); candidate <= nominal + ToleranceSamples; candidate++)
        {
            float score = Score(continuation, candidate);
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    private float Score(ReadOnlySpan<float> continuation, long candidate) => Dot(continuation, _input.AsSpan((int)(candidate - _inputStart), _hop));

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        float total = Vector.Sum(sum);
        for (; i < a.Length; i++)
            total += a[i] * b[i];
        return total;
    }

    /// <summary>Hands out output up to (padded) index <paramref name="to"/>, exclusive.</summary>
    private ReadOnlyMemory<float> Emit(long to)
    {
        // Padded output index p is real output p − Hs: the first Hs samples hold only the lead-in's fade-in.
        long from = _emitted + _hop;
        int count = (int)Math.Max(0, to - from);
        if (_result.Length < count)
            _result = new float[Math.Max(count, 2 * _result.Length)];
        for (int i = 0; i < count; i++)
        {
            long index = from + i - _outputStart;
            _result[i] = index < _output.Count ? _output[(int)index] : 0f; // past the last frame: silence
        }
        _emitted += count;
        int consumed = (int)Math.Clamp(from + count - _outputStart, 0, _output.Count);
        _output.RemoveRange(0, consumed);
        _outputStart += consumed;
        return _result.AsMemory(0, count);
    }

    private void AppendInput(ReadOnlySpan<float> samples)
    {
        if (_inputCount + samples.Length > _input.Length)
            Array.Resize(ref _input, Math.Max(_input.Length * 2, _inputCount + samples.Length));
        samples.CopyTo(_input.AsSpan(_inputCount));
        _inputCount += samples.Length;
    }

    private void DropConsumedInput()
    {
        // Keep what the next frame may read: its continuation and its search range.
        long keepFrom = Math.Min(_previousPosition + _hop, Nominal(_frame) - ToleranceSamples);
        int drop = (int)Math.Clamp(keepFrom - _inputStart, 0, _inputCount);
        if (drop < _input.Length / 2)
            return; // move memory only now and then
        Array.Copy(_input, drop, _input, 0, _inputCount - drop);
        _inputCount -= drop;
        _inputStart += drop;
    }
}
