namespace PocketTts.Generation;

/// <summary>
/// The reference's stopping rule (<c>_autoregressive_generation</c>): the first step from
/// <c>minFramesBeforeEos</c> on whose logit exceeds the threshold (strictly) is the EOS step e; generation stops at
/// step e + framesAfterEos, whose latent is not decoded; without EOS it stops after the maximum length.
/// </summary>
internal struct EndOfSpeech(float threshold, int framesAfterEos, int minFramesBeforeEos)
{
    private int _eosStep = -1;

    /// <summary>The first EOS step, or −1.</summary>
    public readonly int EosStep => _eosStep;

    /// <summary>Records step <paramref name="step"/>'s logit; returns true when this step's latent must be emitted.</summary>
    public bool Observe(int step, float eosLogit)
    {
        if (_eosStep < 0 && step >= minFramesBeforeEos && eosLogit > threshold)
            _eosStep = step;
        return _eosStep < 0 || step < _eosStep + framesAfterEos;
    }
}
