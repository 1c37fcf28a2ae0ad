/**
 * Choosing and reading 现场照片 on both platforms. Taro.chooseMedia takes compressed pictures in the
 * mini-program (sizeType compressed) and opens an <input type=file> in H5. Each chosen file is read into
 * bytes here, checked with the server's own rules (shared: size, and what its first bytes say it is), and
 * shrunk once when it is still over the limit (weapp: compressImage; H5, which does not compress: a canvas).
 */
import Taro from '@tarojs/taro'
import { PHOTO_MAX_BYTES, PHOTO_MESSAGES, sniffPhotoType, type PhotoMimeType } from '@shared/orglife'

export interface ChosenPhoto {
  /** A local address to show it before it is stored (a blob URL in H5, a temporary file in the mini-program). */
  src: string
  bytes: ArrayBuffer | null
  mimeType: PhotoMimeType | null
  /** Why it cannot be sent (too large, not a picture), or null. */
  problem: string | null
}

interface Picked {
  tempFilePath: string
  size: number
  /** H5 only: the File behind the blob URL. */
  originalFileObj?: Blob
}

/**
 * Lets the officer pick up to `count` pictures (album or camera). `photos` is empty when they cancel;
 * `unreadable` when they chose files and none opened as a picture (H5's chooseMedia drops those itself).
 */
export async function choosePhotos(count: number): Promise<{ photos: ChosenPhoto[]; unreadable: boolean }> {
  let picked: Picked[]
  try {
    const res = await Taro.chooseMedia({ count, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'] })
    picked = res.tempFiles as Picked[]
  } catch {
    return { photos: [], unreadable: false }
  }
  const photos: ChosenPhoto[] = []
  for (const file of picked) photos.push(await readChosen(file))
  return { photos, unreadable: picked.length === 0 }
}

async function readChosen(file: Picked): Promise<ChosenPhoto> {
  let src = file.tempFilePath
  let bytes: ArrayBuffer
  try {
    if (process.env.TARO_ENV === 'h5') {
      let blob = file.originalFileObj ?? (await (await fetch(src)).blob())
      if (blob.size > PHOTO_MAX_BYTES) {
        blob = await shrinkInBrowser(blob)
        src = URL.createObjectURL(blob)
      }
      bytes = await blob.arrayBuffer()
    } else {
      if (file.size > PHOTO_MAX_BYTES) src = (await Taro.compressImage({ src, quality: 60 })).tempFilePath
      bytes = await readFile(src)
    }
  } catch {
    return { src, bytes: null, mimeType: null, problem: PHOTO_MESSAGES.notPicture }
  }
  const mimeType = sniffPhotoType(new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 16)))
  if (!mimeType) return { src, bytes: null, mimeType: null, problem: PHOTO_MESSAGES.notPicture }
  if (bytes.byteLength > PHOTO_MAX_BYTES) return { src, bytes: null, mimeType, problem: PHOTO_MESSAGES.tooLarge }
  return { src, bytes, mimeType, problem: null }
}

function readFile(filePath: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath,
      success: (res) => (res.data instanceof ArrayBuffer ? resolve(res.data) : reject(new Error('not binary'))),
      fail: reject,
    })
  })
}

/** H5: a JPEG at most 1920 px on its long side (a phone's 12 MP original is 4–8 MB). */
async function shrinkInBrowser(blob: Blob): Promise<Blob> {
  const url = URL.createObjectURL(blob)
  try {
    const img = new Image()
    img.src = url
    await img.decode()
    const scale = Math.min(1, 1920 / Math.max(img.naturalWidth, img.naturalHeight))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(img.naturalWidth * scale)
    canvas.height = Math.round(img.naturalHeight * scale)
    canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height)
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no blob'))), 'image/jpeg', 0.8))
  } finally {
    URL.revokeObjectURL(url)
  }
}
