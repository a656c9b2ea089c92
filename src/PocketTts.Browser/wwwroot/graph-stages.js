// The model's stages on onnxruntime-web: the graphs of `pocket-tts export-onnx` (float32 or int8), run on WebGPU where
// the browser has it and on WebAssembly SIMD otherwise (with threads when the page is cross-origin isolated). The .NET
// engine plans the text, draws the noise and decides when speech ends; it calls these functions once per stage, and the
// streams' caches and convolution states stay here, next to the sessions, so that a frame copies only its latent and
// its audio across. The arithmetic around the graphs (the LSD loop) is the native ONNX backend's (FlowStep.cs).
const ortFolder = new URL('./ort/', import.meta.url).href;

/** Loads onnxruntime-web and the graphs of an exported folder; the encoder's two graphs load on the first voice made from audio. */
/** download(url, name) resolves to the file's bytes (the page reports its progress). */
export async function openGraphStages(folderUrl, download, engine = 'auto') {
  const provider = engine === 'auto' ? (await hasWebGpu() ? 'webgpu' : 'wasm') : engine;
  if (provider !== 'wasm' && provider !== 'webgpu')
    throw new Error(`Unknown engine '${engine}': use auto, wasm or webgpu.`);
  // Two builds: the WebGPU one runs its CPU kernels through asyncify, which the plain WebAssembly build spares.
  const ort = await import(provider === 'webgpu' ? './ort/ort.webgpu.min.mjs' : './ort/ort.wasm.min.mjs');
  ort.env.wasm.wasmPaths = ortFolder;
  // Worker threads need SharedArrayBuffer, which only a cross-origin isolated page has (COOP + COEP headers).
  ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  const folder = folderUrl.endsWith('/') ? folderUrl : folderUrl + '/';
  const response = await fetch(folder + 'manifest.json');
  if (!response.ok)
    throw new Error(`${folder}manifest.json: HTTP ${response.status} ${response.statusText}`);
  const manifest = await response.json();
  const options = { executionProviders: provider === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'], graphOptimizationLevel: 'all' };
  const open = async name => {
    const spec = manifest.graphs[name];
    if (!spec)
      throw new Error(`${folder}manifest.json has no graph '${name}'.`);
    const bytes = await download(folder + spec.file, name);
    return { spec, session: await ort.InferenceSession.create(bytes, options) };
  };
  const names = ['text_conditioner', 'flow_lm_main', 'flow_net', 'mimi_decoder', 'flow_lm_voice'];
  const graphs = Object.fromEntries(await Promise.all(names.map(async name => [name, await open(name)])));
  return new GraphStages(ort, manifest.settings, graphs, open, `onnxruntime-web ${provider}`);
}

async function hasWebGpu() {
  try {
    return navigator.gpu !== undefined && (await navigator.gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/** The stages on open sessions; objects the engine holds (voices, streams, decoders) are integer handles. */
export class GraphStages {
  #ort;
  #graphs;
  #open;
  #objects = new Map();
  #nextHandle = 0;

  constructor(ort, settings, graphs, open, engine) {
    this.#ort = ort;
    this.settings = settings;
    this.#graphs = graphs;
    this.#open = open;
    this.engine = engine;
  }

  /** The functions the .NET engine imports (module 'graph-stages'). */
  imports() {
    return {
      voiceFromSnapshot: (offset, layers, heads, headDim, keys, values) => this.#add(this.#voiceFromSnapshot(offset, [layers, heads, headDim], keys, values)),
      voiceFromAudio: async samples => this.#add(await this.#voiceFromAudio(floats(samples))),
      startChunk: voice => this.#add(FlowStream.fromVoice(this.#get(voice), this.#graphs.flow_lm_main.spec)),
      prompt: (stream, tokenIds) => this.#prompt(this.#get(stream), tokenIds),
      step: (stream, input, noise, lsdSteps) => this.#step(this.#get(stream), floats(input), floats(noise), lsdSteps),
      latent: stream => bytes(this.#get(stream).latent),
      createDecoder: () => this.#add(new Decoder(this.#graphs.mimi_decoder)),
      resetDecoder: decoder => this.#get(decoder).reset(),
      decode: (decoder, latent) => this.#get(decoder).decode(this.#ort, floats(latent)),
      audio: decoder => bytes(this.#get(decoder).audio),
      release: handle => this.#objects.delete(handle),
    };
  }

  #add(value) {
    const handle = ++this.#nextHandle;
    this.#objects.set(handle, value);
    return handle;
  }

  #get(handle) {
    const value = this.#objects.get(handle);
    if (value === undefined)
      throw new Error(`Unknown graph-stage handle ${handle}.`);
    return value;
  }

  #voiceFromSnapshot(offset, shape, keys, values) {
    const { layers, heads, head_dim: headDim } = this.settings;
    if (shape.join() !== [layers, heads, headDim].join())
      throw new Error(`The voice state is for ${shape.join(' × ')} (layers × heads × head size), but this model has ${layers} × ${heads} × ${headDim}.`);
    const size = offset * heads * headDim;
    const all = [floats(keys), floats(values)];
    if (all.some(a => a.length !== layers * size))
      throw new Error(`A voice state of ${offset} positions needs ${layers * size} keys and values, not ${all[0].length} and ${all[1].length}.`);
    const [k, v] = all.map(a => Array.from({ length: layers }, (_, i) => a.subarray(i * size, (i + 1) * size)));
    return { offset, keys: k, values: v };
  }

  // The voice prompt as OnnxMimiEncoderStage, ConditionVoice and Prompt run it: fixed chunks through the encoder, the
  // latents projected (with the BOS row before them), then the prompt pass of an empty stream.
  async #voiceFromAudio(samples) {
    const { frame_samples: frameSamples, encoder_chunk_frames: chunkFrames, latent_dim: latentDim, model_dim: modelDim } = this.settings;
    this.#graphs.mimi_encoder_first ??= await this.#open('mimi_encoder_first');
    this.#graphs.mimi_encoder ??= await this.#open('mimi_encoder');
    const frames = Math.ceil(samples.length / frameSamples);
    const latents = new Float32Array(frames * latentDim);
    const stream = new Stream([this.#graphs.mimi_encoder_first.spec, this.#graphs.mimi_encoder.spec]);
    for (let start = 0; start < frames; start += chunkFrames) {
      const chunk = new Float32Array(chunkFrames * frameSamples);
      chunk.set(samples.subarray(start * frameSamples, (start + chunkFrames) * frameSamples));
      const graph = start === 0 ? this.#graphs.mimi_encoder_first : this.#graphs.mimi_encoder;
      const out = await stream.run(this.#ort, graph, { audio: this.#tensor(chunk, [1, chunk.length]) }, graph.spec.caches[0]?.rows ?? 0);
      const count = Math.min(chunkFrames, frames - start);
      latents.set(out.latents.data.subarray(0, count * latentDim), start * latentDim);
    }
    const voice = await this.#graphs.flow_lm_voice.session.run({ latents: this.#tensor(latents, [frames, latentDim]) });
    const bos = this.settings.has_bos_before_voice ? 1 : 0;
    const conditioning = new Float32Array((frames + bos) * modelDim);
    if (bos)
      conditioning.set(voice.bos_before_voice.data);
    conditioning.set(voice.conditioning.data, bos * modelDim);
    const flow = new FlowStream(this.#graphs.flow_lm_main.spec);
    await this.#runMain(flow, conditioning, frames + bos, new Float32Array(0), 0);
    return flow.snapshot();
  }

  async #prompt(flow, tokenIds) {
    const ids = BigInt64Array.from(Array.from(tokenIds, BigInt));
    const { embeddings } = await this.#graphs.text_conditioner.session.run({ token_ids: new this.#ort.Tensor('int64', ids, [ids.length]) });
    await this.#runMain(flow, embeddings.data, ids.length, new Float32Array(0), 0);
  }

  // One FlowLM step as OnnxFlowLmStage.SampleNextLatent: flow_lm_main on one latent, then the flow net from the noise.
  async #step(flow, input, noise, lsdSteps) {
    const { hidden, eos_logit: eos } = await this.#runMain(flow, new Float32Array(0), 0, input, 1);
    const condition = this.#tensor(hidden.data, [1, this.settings.model_dim]);
    const x = Float32Array.from(noise);
    const net = this.#graphs.flow_net.session;
    if (this.settings.drifting_head) {
      x.set((await net.run({ condition, x: this.#tensor(x, [1, x.length]) })).flow.data);
    } else {
      // Float32 arithmetic as FlowStep.Decode: s and t are i/N and (i+1)/N rounded to float, x += flow · (1/N).
      const scale = Math.fround(1 / lsdSteps);
      for (let i = 0; i < lsdSteps; i++) {
        const times = new Float32Array([i / lsdSteps, (i + 1) / lsdSteps]);
        const { flow: f } = await net.run({
          condition, s: this.#tensor(times.subarray(0, 1), [1, 1]), t: this.#tensor(times.subarray(1, 2), [1, 1]), x: this.#tensor(x.slice(), [1, x.length]),
        });
        for (let j = 0; j < x.length; j++)
          x[j] = Math.fround(x[j] + Math.fround(f.data[j] * scale));
      }
    }
    flow.latent = x;
    return eos.data[0];
  }

  #runMain(flow, conditioning, conditioningRows, latents, latentRows) {
    const { model_dim: modelDim, latent_dim: latentDim } = this.settings;
    return flow.run(this.#ort, this.#graphs.flow_lm_main, {
      conditioning: this.#tensor(conditioning, [conditioningRows, modelDim]),
      latents: this.#tensor(latents, [latentRows, latentDim]),
    }, conditioningRows + latentRows);
  }

  #tensor(data, dims) {
    return new this.#ort.Tensor('float32', data, dims);
  }
}

/**
 * One attention layer's keys and values, [rows, heads, headDim] each, as OnnxKvCache keeps them: a call reads the past
 * rows (all, or the last window − 1) and appends its new rows; the buffer grows as needed, and a windowed cache moves
 * its kept rows to the front when the buffer is full.
 */
class KvCache {
  constructor(heads, headDim, window) {
    this.rowSize = heads * headDim;
    this.shape = [heads, headDim];
    this.window = window;
    this.keys = new Float32Array(0);
    this.values = new Float32Array(0);
    this.end = 0;          // buffer row after the last stored one
    this.stored = 0;       // rows stored (≤ end)
    this.position = 0;     // rows appended since the start
  }

  get pastRows() {
    return this.window ? Math.min(this.stored, this.window - 1) : this.stored;
  }

  past(ort) {
    const from = (this.end - this.pastRows) * this.rowSize, to = this.end * this.rowSize;
    const dims = [this.pastRows, ...this.shape];
    return [new ort.Tensor('float32', this.keys.subarray(from, to), dims), new ort.Tensor('float32', this.values.subarray(from, to), dims)];
  }

  append(keys, values, rows) {
    if ((this.end + rows) * this.rowSize > this.keys.length && this.window) {
      const keep = this.pastRows;
      this.keys.copyWithin(0, (this.end - keep) * this.rowSize, this.end * this.rowSize);
      this.values.copyWithin(0, (this.end - keep) * this.rowSize, this.end * this.rowSize);
      this.end = this.stored = keep;
    }
    const need = (this.end + rows) * this.rowSize;
    if (need > this.keys.length)
      this.#grow(Math.max(need, 2 * this.keys.length));
    this.keys.set(keys.subarray(0, rows * this.rowSize), this.end * this.rowSize);
    this.values.set(values.subarray(0, rows * this.rowSize), this.end * this.rowSize);
    this.end += rows;
    this.stored += rows;
    this.position += rows;
  }

  load(rows, keys, values) {
    this.#grow(keys.length);
    this.keys.set(keys);
    this.values.set(values);
    this.end = this.stored = this.position = rows;
  }

  #grow(size) {
    for (const name of ['keys', 'values']) {
      const bigger = new Float32Array(size);
      bigger.set(this[name].subarray(0, this.end * this.rowSize));
      this[name] = bigger;
    }
  }
}

/**
 * What a stream carries between calls of its graphs (StreamState.cs): the convolution states, zeros at first, and the
 * attention caches; every call gets the position of its first row.
 */
class Stream {
  constructor(specs) {
    this.states = new Map();
    this.caches = new Map();
    for (const spec of specs) {
      for (const state of spec.states) {
        if (!this.states.has(state.id))
          this.states.set(state.id, new Float32Array(state.shape.reduce((a, b) => a * b, 1)));
      }
      // In id order, which is layer order (a voice's caches are given layer by layer).
      for (const cache of [...spec.caches].sort((a, b) => a.id - b.id)) {
        if (!this.caches.has(cache.id))
          this.caches.set(cache.id, new KvCache(cache.heads, cache.head_dim, cache.window ?? null));
      }
    }
  }

  get position() {
    return this.caches.size === 0 ? 0 : this.caches.values().next().value.position;
  }

  /** Runs a graph on its own inputs plus the stream's, keeps the states and the first `rows` new cache rows, and returns the outputs. */
  async run(ort, { spec, session }, inputs, rows) {
    const feeds = { ...inputs };
    if (spec.position)
      feeds[spec.position] = new ort.Tensor('int64', BigInt64Array.of(BigInt(this.position)), [1]);
    for (const state of spec.states) {
      if (state.input)
        feeds[state.input] = new ort.Tensor('float32', this.states.get(state.id), state.shape);
    }
    for (const cache of spec.caches)
      [feeds[cache.past_keys], feeds[cache.past_values]] = this.caches.get(cache.id).past(ort);
    const out = await session.run(feeds);
    for (const state of spec.states) {
      if (state.output)
        this.states.set(state.id, out[state.output].data);
    }
    for (const cache of spec.caches)
      this.caches.get(cache.id).append(out[cache.new_keys].data, out[cache.new_values].data, rows);
    return out;
  }
}

/** A FlowLM stream: flow_lm_main's caches, from a voice or empty, and the latent of its last step. */
class FlowStream extends Stream {
  constructor(spec) {
    super([spec]);
    this.latent = null;
  }

  static fromVoice(voice, spec) {
    const stream = new FlowStream(spec);
    [...stream.caches.values()].forEach((cache, i) => cache.load(voice.offset, voice.keys[i], voice.values[i]));
    return stream;
  }

  snapshot() {
    const caches = [...this.caches.values()];
    const size = caches[0].stored * caches[0].rowSize;
    return { offset: this.position, keys: caches.map(c => c.keys.slice(0, size)), values: caches.map(c => c.values.slice(0, size)) };
  }
}

/** The streaming Mimi decoder: one latent in, one frame of audio out. */
class Decoder {
  constructor(graph) {
    this.graph = graph;
    this.reset();
  }

  reset() {
    this.stream = new Stream([this.graph.spec]);
    this.audio = null;
  }

  async decode(ort, latent) {
    const out = await this.stream.run(ort, this.graph, { latent: new ort.Tensor('float32', latent, [1, latent.length]) }, this.graph.spec.caches[0]?.rows ?? 0);
    this.audio = out.audio.data;
  }
}

function floats(data) {
  const aligned = data.byteOffset % 4 === 0 ? data : data.slice();
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

function bytes(data) {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
