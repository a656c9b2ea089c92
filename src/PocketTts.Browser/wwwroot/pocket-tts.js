// Pocket TTS in the browser: a small API over the .NET engine compiled to WebAssembly.
//
//   import { PocketTts } from './pocket-tts.js';
//   const tts = await PocketTts.create();
//   await tts.loadModel({ config: 'model/config.yaml', graphs: 'model/onnx-int8/', weights: 'model/model_int8.safetensors',
//                         tokenizer: 'model/tokenizer.model', language: 'english' }, p => console.log(p));
//   console.log(tts.engine);   // 'onnxruntime-web wasm', 'onnxruntime-web webgpu' or 'managed'
//   const voice = await tts.voiceFromUrl('voices/alba.safetensors');   // or voiceFromAudio(wavArrayBuffer)
//   const stats = await tts.speak('Hello from the browser.', voice, { seed: 1 });
//
// Two engines behind one API. With `graphs` (a folder of `pocket-tts export-onnx`, float32 or int8) the stages run on
// onnxruntime-web: WebGPU where the browser has it, else WebAssembly SIMD, with threads when the page is cross-origin
// isolated (served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp).
// Without graphs, or when they cannot be opened and `weights` is given, the managed engine runs on the .NET
// interpreter. Either way the page's thread takes turns: generation yields to the event loop between 80 ms frames, so
// audio plays and the page stays responsive while the next frames are computed.
import { dotnet } from './_framework/dotnet.js';
import { openGraphStages } from './graph-stages.js';

// The functions graph-stages.js gives the .NET engine (GraphStages.cs imports them from module 'graph-stages').
const graphFunctions = ['voiceFromSnapshot', 'voiceFromAudio', 'startChunk', 'prompt', 'step', 'latent', 'createDecoder', 'resetDecoder', 'decode', 'audio', 'release'];

export class PocketTts {
  #api;
  #graphImports;

  constructor(api, setGraphImports) {
    this.#api = api;
    this.#graphImports = setGraphImports;
    /** Which engine runs the loaded model: 'onnxruntime-web wasm', 'onnxruntime-web webgpu', 'managed', or null. */
    this.engine = null;
  }

  /** Starts the .NET runtime and returns the API. */
  static async create() {
    const runtime = await dotnet.create();
    // The .NET side binds each import once; these forward to the graphs of the model loaded last.
    let current = null;
    runtime.setModuleImports('graph-stages', Object.fromEntries(graphFunctions.map(name => [name, (...args) => current[name](...args)])));
    const exports = await runtime.getAssemblyExports(runtime.getConfig().mainAssemblyName);
    await runtime.runMain();
    return new PocketTts(exports.PocketTts.Browser.BrowserApi, imports => { current = imports; });
  }

  /**
   * Downloads and loads a model. onProgress receives { phase: 'download' | 'load', file, loaded, total }.
   * `graphs` is the URL of an exported folder (its manifest.json); `engine` may force 'wasm', 'webgpu' or 'managed'.
   * @param {{config: string, tokenizer: string, graphs?: string, weights?: string, language?: string, engine?: string}} urls
   */
  async loadModel(urls, onProgress = () => {}) {
    const started = performance.now();
    let bytes = 0;
    const fetchFile = async (url, file) => {
      const data = await download(url, file, onProgress);
      bytes += data.length;
      return data;
    };
    const [config, tokenizer] = await Promise.all([fetchFile(urls.config, 'config'), fetchFile(urls.tokenizer, 'tokenizer')]);
    const language = urls.language ?? null;
    const graphs = urls.graphs && urls.engine !== 'managed' ? await this.#openGraphs(urls, fetchFile) : null;
    onProgress({ phase: 'load', file: 'model', loaded: 0, total: 1 });
    if (graphs) {
      await this.#api.LoadGraphModel(config, tokenizer, language, graphs.settings.latent_dim, graphs.settings.frame_samples);
      // Only now: the previous model's voices were released through the previous graphs while it unloaded.
      this.#graphImports(graphs.imports());
      this.engine = graphs.engine;
    } else {
      if (!urls.weights)
        throw new Error('No weights to load: give the weights URL, or the graphs URL of a folder exported by pocket-tts export-onnx.');
      await this.#api.LoadModel(config, await fetchFile(urls.weights, 'weights'), tokenizer, language);
      this.engine = 'managed';
    }
    onProgress({ phase: 'load', file: 'model', loaded: 1, total: 1 });
    return { seconds: (performance.now() - started) / 1000, bytes, engine: this.engine };
  }

  async #openGraphs(urls, fetchFile) {
    try {
      return await openGraphStages(urls.graphs, fetchFile, urls.engine ?? 'auto');
    } catch (e) {
      if (!urls.weights)
        throw e;
      console.warn(`Pocket TTS: the graphs at ${urls.graphs} cannot run here (${e.message}); using the managed engine.`);
      return null;
    }
  }

  /** Output sample rate (24000). */
  get sampleRate() {
    return this.#api.SampleRate();
  }

  /** A voice from WAV or MP3 bytes (ArrayBuffer or Uint8Array); the first 30 s are used. Resolves to the voice. */
  voiceFromAudio(bytes) {
    return this.#api.VoiceFromAudio(asBytes(bytes));
  }

  /** A voice from a state exported by `pocket-tts export-voice` (.safetensors bytes). */
  voiceFromState(bytes) {
    return this.#api.VoiceFromState(asBytes(bytes));
  }

  /** A voice from a URL: .safetensors is an exported state, anything else is audio. */
  async voiceFromUrl(url) {
    const bytes = await download(url, 'voice', () => {});
    return new URL(url, location.href).pathname.endsWith('.safetensors') ? this.voiceFromState(bytes) : await this.voiceFromAudio(bytes);
  }

  /**
   * Generates speech, yielding Float32Array chunks (80 ms of speech, or silence for pauses) as they are made.
   * options: seed, temperature, lsdDecodeSteps, noiseClamp, eosThreshold, framesAfterEos, maxTokens,
   * naturalPauses (bool, default false: silences at punctuation), normalize (bool, default true).
   */
  async *stream(text, voice, options = {}) {
    // A voice may still be on its way (voiceFromAudio resolves to it).
    const generation = this.#api.StartGeneration(text, await voice, JSON.stringify(options));
    try {
      while (await this.#api.NextChunk(generation)) {
        const bytes = this.#api.CurrentChunk(generation);
        yield new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      }
    } finally {
      await this.#api.CancelGeneration(generation);
    }
  }

  /** Generates the whole utterance; resolves to { samples, stats }. */
  async generate(text, voice, options = {}, onChunk = () => {}) {
    const chunks = [];
    const clock = new Clock(this.sampleRate);
    for await (const chunk of this.stream(text, voice, options)) {
      chunks.push(chunk);
      clock.add(chunk.length);
      onChunk(chunk, clock.stats());
    }
    const samples = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    return { samples, stats: clock.stats() };
  }

  /**
   * Speaks through Web Audio while generating: each chunk is scheduled right after the previous one. Resolves to the
   * generation's stats once everything is generated (playback may continue).
   */
  async speak(text, voice, options = {}, { audioContext = new AudioContext(), onChunk = () => {} } = {}) {
    let playAt = 0;
    const { stats } = await this.generate(text, voice, options, (chunk, progress) => {
      const buffer = audioContext.createBuffer(1, chunk.length, this.sampleRate);
      buffer.copyToChannel(chunk, 0);
      const source = audioContext.createBufferSource();
      source.buffer = buffer;
      source.connect(audioContext.destination);
      playAt = Math.max(playAt, audioContext.currentTime + 0.05);
      source.start(playAt);
      playAt += buffer.duration;
      onChunk(chunk, progress);
    });
    return stats;
  }
}

/** Wall time against audio time: the real-time factor and the delay of the first chunk. */
class Clock {
  #started = performance.now();
  #first = null;
  #samples = 0;

  constructor(sampleRate) {
    this.sampleRate = sampleRate;
  }

  add(samples) {
    this.#first ??= performance.now() - this.#started;
    this.#samples += samples;
  }

  stats() {
    const wallSeconds = (performance.now() - this.#started) / 1000;
    const audioSeconds = this.#samples / this.sampleRate;
    return { audioSeconds, wallSeconds, realTimeFactor: audioSeconds / wallSeconds, firstChunkMs: this.#first };
  }
}

async function download(url, file, onProgress) {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get('Content-Length')) || 0;
  const reader = response.body.getReader();
  const parts = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done)
      break;
    parts.push(value);
    loaded += value.length;
    onProgress({ phase: 'download', file, loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

function asBytes(data) {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}
