// Speaks a text through /v1/audio/speech/stream with the ws package, word by word, and prints what came back as
// one JSON line: the events, the audio (base64) and the close code. Usage: node speech-stream-client.mjs URL TEXT
import WebSocket from 'ws';

const [url, text] = process.argv.slice(2);
const socket = new WebSocket(url);
const events = [];
const audio = [];

socket.on('open', () => {
  socket.send(JSON.stringify({ type: 'start', voice: 'tiny', response_format: 'pcm', seed: 7 }));
  for (const word of text.split(' '))
    socket.send(JSON.stringify({ type: 'text', text: word + ' ' }));
  socket.send(JSON.stringify({ type: 'close' }));
});
socket.on('message', (data, isBinary) => {
  if (isBinary)
    audio.push(Buffer.from(data));
  else
    events.push(JSON.parse(data.toString()));
});
socket.on('close', (code) => {
  process.stdout.write(JSON.stringify({ events, audio: Buffer.concat(audio).toString('base64'), code }) + '\n');
});
socket.on('error', (error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
