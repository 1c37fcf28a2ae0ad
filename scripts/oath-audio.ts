/**
 * The weapp's recording of 入党誓词 (issue 19.5). The mini-program has no speech synthesis of its own (WeChat's
 * 同声传译 plugin needs the county's plugin authorization), so it plays a bundled recording through
 * InnerAudioContext and highlights the phrase being read from the timings written beside it.
 *
 * Synthesizes each phrase of OATH_PHRASES with espeak-ng's Mandarin voice, trims the silence espeak leaves around
 * it, joins the phrases with a pause long enough to repeat after, and encodes one small mono MP3 with lame.
 * Needs `apt-get install -y espeak-ng lame`. Run again whenever the oath text changes (tests/miniapp/oath-recording
 * checks that the timings name the same phrases):
 *
 *   npx tsx scripts/oath-audio.ts
 *
 * A recording read by a person can replace the MP3: keep its phrase timings in oath-recording.ts in step.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OATH_PHRASES } from '../shared/birthdays/rules.js';

const root = path.resolve(import.meta.dirname, '..');
const mp3Path = path.join(root, 'miniapp/src/packages/birthdays/assets/oath.mp3');
const timingsPath = path.join(root, 'miniapp/src/packages/birthdays/shared/oath-recording.ts');

const SAMPLE_RATE = 22_050; // espeak-ng's own rate
/** espeak-ng words per minute: slower than conversation, the oath is read solemnly and repeated line by line. */
const SPEED_WPM = 120;
/** Silence after each phrase, long enough for the members to repeat it. */
const PAUSE_MS = 900;
const LEAD_IN_MS = 300;
/** Samples quieter than this count as silence when trimming. */
const SILENCE = 300;

/** The PCM samples of a 16-bit mono WAV file (espeak-ng's only output format). */
function pcmOf(wav: Buffer): Int16Array {
  const dataAt = wav.indexOf('data', 12, 'latin1');
  if (dataAt < 0) throw new Error('no data chunk in espeak-ng output');
  const bytes = wav.subarray(dataAt + 8, dataAt + 8 + wav.readUInt32LE(dataAt + 4));
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function trimSilence(samples: Int16Array): Int16Array {
  let start = 0;
  let end = samples.length;
  while (start < end && Math.abs(samples[start]!) < SILENCE) start++;
  while (end > start && Math.abs(samples[end - 1]!) < SILENCE) end--;
  return samples.subarray(start, end);
}

function speak(phrase: string, dir: string): Int16Array {
  const file = path.join(dir, 'phrase.wav');
  execFileSync('espeak-ng', ['-v', 'cmn', '-s', String(SPEED_WPM), '-w', file, phrase]);
  return trimSilence(pcmOf(readFileSync(file)));
}

function wavOf(samples: Int16Array): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

const ms = (samples: number) => Math.round((samples / SAMPLE_RATE) * 1000);

function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'oath-'));
  try {
    const silence = (millis: number) => new Int16Array(Math.round((millis / 1000) * SAMPLE_RATE));
    const parts: Int16Array[] = [silence(LEAD_IN_MS)];
    let at = parts[0]!.length;
    const phrases = OATH_PHRASES.map((text) => {
      const voice = speak(text, dir);
      const timing = { text, startMs: ms(at), endMs: ms(at + voice.length) };
      parts.push(voice, silence(PAUSE_MS));
      at += voice.length + parts[parts.length - 1]!.length;
      return timing;
    });
    const all = new Int16Array(at);
    let offset = 0;
    for (const part of parts) {
      all.set(part, offset);
      offset += part.length;
    }
    const wav = path.join(dir, 'oath.wav');
    writeFileSync(wav, wavOf(all));
    // Mono, 8 kHz at 8 kbit/s (telephone quality): plain speech stays clear, and the whole oath is ~50 KB of
    // the birthdays subpackage's budget (miniapp/scripts/size-report.mjs).
    execFileSync('lame', ['--quiet', '-m', 'm', '--resample', '8', '-b', '8', wav, mp3Path]);
    writeFileSync(timingsPath, timingsModule(phrases, ms(at)));
    console.log(`${path.relative(root, mp3Path)}: ${(statSync(mp3Path).size / 1024).toFixed(1)} KB, ${(ms(at) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timingsModule(phrases: { text: string; startMs: number; endMs: number }[], durationMs: number): string {
  const rows = phrases.map((p) => `    { text: '${p.text}', startMs: ${p.startMs}, endMs: ${p.endMs} },`).join('\n');
  return `// Generated by scripts/oath-audio.ts with the recording beside it (../assets/oath.mp3): do not edit by hand.
import type { OathRecording } from './recording-player'

export const OATH_RECORDING: OathRecording = {
  /** Where the build copies the MP3 (config/index.ts), inside the birthdays subpackage. */
  src: '/packages/birthdays/assets/oath.mp3',
  durationMs: ${durationMs},
  phrases: [
${rows}
  ],
}
`;
}

main();
