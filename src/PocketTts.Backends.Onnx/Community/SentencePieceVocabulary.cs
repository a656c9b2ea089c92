using Google.Protobuf;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// The vocabulary size of a SentencePiece <c>tokenizer.model</c>: the number of <c>pieces</c> (field 1) of its
/// top-level <c>ModelProto</c>, which is all the bundle's text table needs to know of the tokenizer.
/// </summary>
internal static class SentencePieceVocabulary
{
    private const int PiecesField = 1;

    /// <summary>The number of pieces of the SentencePiece model in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a SentencePiece model, or has no pieces.</exception>
    public static int Count(string path)
    {
        int pieces = 0;
        try
        {
            using FileStream file = File.OpenRead(path);
            var input = new CodedInputStream(file);
            for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
            {
                if (WireFormat.GetTagFieldNumber(tag) == PiecesField)
                    pieces++;
                input.SkipLastField();
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path} is not a SentencePiece model: {e.Message}", e);
        }
        return pieces > 0 ? pieces : throw new InvalidDataException($"{path} is not a SentencePiece model: it has no pieces.");
    }
}
