// Writes ../tokenizer_json_cases.json: ids and decoded text that the Hugging Face `tokenizers` library (Rust, through
// its npm binding) produces for tokenizer.json files of the family the C# JsonTokenizer supports. It is a
// fixture generator only: nothing in the product or the tests runs it.
//
//   mkdir /tmp/tok && cd /tmp/tok && npm install tokenizers@0.23.2
//   NODE_PATH=/tmp/tok/node_modules node tests/Parity/Fixtures/tools/make_tokenizer_json_cases.js
//
// Tokenizers: the fixture tokenizer.json as it is ("never"), two variants derived from it by replacing the
// pre_tokenizer and decoder keys (the replacements are written into the output so that a test derives the same
// file), and small synthetic tokenizers written out whole. Ids are encode(text, addSpecialTokens: false), as
// SentencePiece's encode adds no BOS/EOS; decoded is decode(ids, skipSpecialTokens: true), the default of the
// Python binding the reference calls.
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

const fixtures = path.join(__dirname, '..');
const version = require('tokenizers/package.json').version;
if (version !== '0.23.2') throw new Error(`expected tokenizers 0.23.2, found ${version}`);

const baseFile = 'tokenizer.json';
const base = JSON.parse(fs.readFileSync(path.join(fixtures, baseFile), 'utf8'));
const referenceTexts = JSON.parse(fs.readFileSync(path.join(fixtures, 'tokenizer_cases.json'), 'utf8')).encode.map(c => c.text);

const hardTexts = [
  '', ' ', '  ', '   leading spaces', 'trailing spaces   ', 'a  b   c    d', ' Hello, world!', '  hello  ',
  '\u2581', '\u2581Hello', '\u2581\u2581x', ' \u2581x', '\u2581 x', 'Hello\u2581world', 'end\u2581',
  'tab\there', 'new\nline\r\n', '\u00a0nbsp and\u3000ideographic space', 'zero\u200bwidth',
  'café naïve façade Straße', 'Ωμέγα', '漢字かな', 'Привет', 'مرحبا', 'नमस्ते',
  '😀 emoji 👍🏽', '👨\u200d👩\u200d👧', '☃', '\u0000nul', '\ufeffbom', 'e\u0301 combining',
  '<s>', '</s>', '<unk>', '<pad>', '<s>Hello</s>', 'Hello <s> world', ' <s> ', '<pad><pad>', '<s><s>x',
  'a<s>b', '<s> leading', '<S>', '<s', 's>', '<0x41>', '<0xE2><0x98><0x83>', '<0x4g>',
  '1,000,000 dollars and 50% off', '14½-13½', 'x'.repeat(300), 'supercalifragilisticexpialidocious',
];

const decodeIdLists = [
  [], [1], [1, 1402, 2], [0], [3, 3], [4 + 0xe2, 4 + 0x98, 4 + 0x83], [4 + 0xe2, 4 + 0x98], [4 + 0xe2, 1402, 4 + 0x83],
  [4 + 0x41, 4 + 0x42], [4 + 0xff], [1402, 0, 545], [545, 545], [262], [262, 262, 1402],
];

// Two shapes that SentencePiece conversions produce for a dummy-prefix model.
const metaspace = (scheme, split) => ({ type: 'Metaspace', replacement: '\u2581', prepend_scheme: scheme, split });
const derived = [
  { name: 'always', pre_tokenizer: metaspace('always', false),
    decoder: { type: 'Sequence', decoders: [...base.decoder.decoders, { type: 'Strip', content: ' ', start: 1, stop: 0 }] } },
  { name: 'first_split', pre_tokenizer: metaspace('first', true), decoder: metaspace('first', true) },
];

const special = (id, content, extra = {}) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true, ...extra });
const synthetic = (unigram, addedTokens, preTokenizer, decoder) => ({
  version: '1.0', truncation: null, padding: null, added_tokens: addedTokens, normalizer: null,
  pre_tokenizer: preTokenizer, post_processor: null, decoder, model: { type: 'Unigram', ...unigram },
});
const smallVocab = [['<unk>', 0], ['<s>', 0], ['</s>', 0], ['<sep>', 0], ['\u2581', -2], ['a', -1], ['b', -1.5], ['ab', -2.2], ['\u2581a', -1.8], ['\u2581b', -3]];
const synthetics = [
  { name: 'no_byte_fallback',
    tokenizer: synthetic({ unk_id: 0, vocab: smallVocab, byte_fallback: false },
      [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>'), special(3, '<sep>', { normalized: true, special: false })],
      metaspace('always', true), null),
    texts: ['ab', 'axyb', 'xy', 'a<sep>b', '<s>ab</s>', ' a b', 'a  b', '', '<sep><sep>', 'ab<sep> ab', 'x<s>y'] },
  { name: 'some_byte_pieces',
    tokenizer: synthetic({ unk_id: 0, vocab: [...smallVocab, ['<0x78>', -5], ['<0x79>', -5], ['<0xC3>', -5]], byte_fallback: true },
      [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
      metaspace('never', false), { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'never', split: false }),
    texts: ['x', 'xy', 'axyb', 'xz', 'é', 'ü', 'a b', '<0x78>'] },
];

async function run(tokenizer, texts) {
  const cases = [];
  for (const text of texts) {
    const ids = (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
    cases.push({ text, ids, decoded: await tokenizer.decode(ids, true) });
  }
  return cases;
}

async function decodes(tokenizer, idLists) {
  const out = [];
  for (const ids of idLists) out.push({ ids, decoded: await tokenizer.decode(ids, true) });
  return out;
}

(async () => {
  const texts = [...referenceTexts, ...hardTexts];
  const variants = [];
  variants.push({ name: 'never', base: baseFile, cases: await run(Tokenizer.fromFile(path.join(fixtures, baseFile)), texts),
    decode: await decodes(Tokenizer.fromFile(path.join(fixtures, baseFile)), decodeIdLists) });
  for (const d of derived) {
    const tokenizer = Tokenizer.fromString(JSON.stringify({ ...base, pre_tokenizer: d.pre_tokenizer, decoder: d.decoder }));
    variants.push({ name: d.name, base: baseFile, pre_tokenizer: d.pre_tokenizer, decoder: d.decoder,
      cases: await run(tokenizer, texts), decode: await decodes(tokenizer, decodeIdLists) });
  }
  for (const s of synthetics) {
    variants.push({ name: s.name, tokenizer: s.tokenizer, cases: await run(Tokenizer.fromString(JSON.stringify(s.tokenizer)), s.texts), decode: [] });
  }
  const out = { generator: 'tests/Parity/Fixtures/tools/make_tokenizer_json_cases.js', library: `tokenizers (npm) ${version}`, variants };
  fs.writeFileSync(path.join(fixtures, 'tokenizer_json_cases.json'), JSON.stringify(out, null, 1) + '\n');
})();
