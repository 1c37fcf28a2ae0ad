/** What counts as a photo: the bytes' own magic numbers (shared/orglife/photos.ts), the one test the server and the mini-program share. */
import { describe, expect, it } from 'vitest';
import { sniffPhotoType } from '../../shared/orglife.js';
import { jpegLike, tinyPng, webpLike } from '../helpers/photos.js';

describe('sniffPhotoType', () => {
  it('knows JPEG, PNG and WebP by their first bytes', () => {
    expect(sniffPhotoType(jpegLike())).toBe('image/jpeg');
    expect(sniffPhotoType(tinyPng())).toBe('image/png');
    expect(sniffPhotoType(webpLike())).toBe('image/webp');
  });

  it('refuses everything else, however it is named: SVG, GIF, a zip, a RIFF that is not WebP, a cut-off header', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(sniffPhotoType(text('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBeNull();
    expect(sniffPhotoType(text('GIF89a..............'))).toBeNull();
    expect(sniffPhotoType(new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Uint8Array(20)]))).toBeNull();
    const wave = webpLike();
    wave.set(text('WAVE'), 8);
    expect(sniffPhotoType(wave)).toBeNull();
    expect(sniffPhotoType(tinyPng().slice(0, 8))).toBeNull();
    expect(sniffPhotoType(new Uint8Array([0xff, 0xd8]))).toBeNull();
    expect(sniffPhotoType(new Uint8Array())).toBeNull();
  });
});
