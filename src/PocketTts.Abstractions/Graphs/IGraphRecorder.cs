using PocketTts.Tensors;

namespace PocketTts.Graphs;

/// <summary>
/// An <see cref="ITensorBackend"/> that computes nothing: every operation called between <see cref="BeginGraph"/> and
/// <see cref="EndGraph"/> becomes part of a graph. <see cref="IModelDefinition.Record"/> runs the engine's model on one,
/// graph by graph (<see cref="StageGraphNames"/>), so a graph runtime gets the model written once against
/// <see cref="ITensorBackend"/> without a second definition of it.
/// </summary>
/// <remarks>
/// <para>What a recorder must make of the calls: weights and constants become the graph's constants; a tensor
/// allocated before the graph began that the graph reads before it writes it is a state (an input holding the value
/// the previous call left, zeros at first), and its final value a state output; an attention cache becomes inputs
/// for the past rows and outputs for the call's new rows; the position of RoPE and attention is an int64 input.
/// Host reads and writes (<see cref="ITensorBackend.Read"/>, <see cref="ITensorBackend.Write"/>) have no meaning in
/// a graph: values enter through <see cref="Input"/> and leave through <see cref="Output"/>.</para>
/// <para>A graph is only as general as the calls it saw: shapes are those of the recorded call except the
/// dimensions declared symbolic, and host-side branches are baked in (which is why the Mimi encoder's first chunk
/// has a graph of its own).</para>
/// </remarks>
public interface IGraphRecorder : ITensorBackend
{
    /// <summary>Starts recording the graph <paramref name="name"/>; recording a name again replaces the earlier graph.</summary>
    /// <exception cref="InvalidOperationException">Another graph is being recorded.</exception>
    void BeginGraph(string name);

    /// <summary>
    /// Declares that <paramref name="tensor"/> holds the float input <paramref name="name"/>; with
    /// <paramref name="symbolicRows"/>, its first dimension is that symbol (any number of rows).
    /// </summary>
    void Input(ITensor tensor, string name, string? symbolicRows = null);

    /// <summary>Declares that the output <paramref name="name"/> is <paramref name="tensor"/>'s value when the graph ends.</summary>
    void Output(ITensor tensor, string name, string? symbolicRows = null);

    /// <summary>
    /// Records <paramref name="y"/> = rows of <paramref name="table"/> [rows, width] picked by the int64 input
    /// <paramref name="ids"/> [<paramref name="symbolicRows"/>]: <see cref="ITensorBackend.Embedding"/> with ids that
    /// are an input of the graph rather than host values. <paramref name="y"/> is [1, width] in the recording and
    /// [<paramref name="symbolicRows"/>, width] in the graph.
    /// </summary>
    void Lookup(ITensor table, string ids, string symbolicRows, ITensor y);

    /// <summary>
    /// Finishes the graph. Its states are the tensors it reads before it writes them; it outputs those it writes, and
    /// also those of <paramref name="carried"/> that it writes (states another graph of the stage reads, as the Mimi
    /// encoder's next-chunk graph reads what its first-chunk graph leaves).
    /// </summary>
    /// <param name="carried">Identities of states to output when written, as an earlier <see cref="EndGraph"/> returned them.</param>
    /// <returns>The identities of the states the graph reads.</returns>
    /// <exception cref="InvalidOperationException">No graph is being recorded.</exception>
    IReadOnlyCollection<int> EndGraph(IEnumerable<int>? carried = null);
}
