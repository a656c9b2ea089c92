// Speaks one sentence through Microsoft.Extensions.AI's ITextToSpeechClient.
// Usage: QuickStart CONFIG VOICE OUT.wav   (CONFIG: a model YAML file or a built-in language such as "english";
//                                            VOICE: a predefined voice, a WAV/MP3 recording or an exported .safetensors)
using Microsoft.Extensions.AI;
using PocketTts;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: QuickStart CONFIG VOICE OUT.wav");
    return 2;
}
string config = args[0], voice = args[1], output = args[2];
PocketTtsOptions options = config.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || config.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
    ? new PocketTtsOptions { ConfigPath = config, Voice = voice }
    : new PocketTtsOptions { Language = config, Voice = voice };

using ITextToSpeechClient speech = await PocketTtsSpeechClient.LoadAsync(options);
TextToSpeechResponse response = await speech.GetAudioAsync("Hello from the Pocket TTS quick start.");
DataContent audio = response.Contents.OfType<DataContent>().Single();
await File.WriteAllBytesAsync(output, audio.Data.ToArray());
Console.WriteLine($"{output}: {audio.Data.Length} bytes of {audio.MediaType}");
return 0;
