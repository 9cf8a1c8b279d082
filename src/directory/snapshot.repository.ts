import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import zlib from 'node:zlib';
import { logger } from '../shared/logger';
import { markStoredVersion, type DirectoryData } from './directory.repository';
import { DirectorySnapshotPartModel } from './snapshot.model';

/** Stored snapshots of the directory (see snapshot.model.ts): the fast way to a directory at start-up. */

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** Well under a document's 16 MB; a compressed directory of 20,000 authorities fits in one or two. */
const PART_BYTES = 4 * 1024 * 1024;

/**
 * The serialisation is V8's own (it keeps dates as dates and is fastest to read), so only the same V8 reads it back;
 * the shape's number changes with DirectoryData (2: the instrument catalogue), so a copy of another shape is not
 * read; `framed`: the authorities in frames of SERIAL_CHUNK (see `serialized`).
 */
const FORMAT = `v8-${process.versions.v8}+gzip+shape2+framed`;

/**
 * Authorities serialised, or read back, between two turns of the event loop. V8 serialises 20,000
 * authorities in about 300 ms and reads them in 500, during which an instance would answer nobody;
 * a frame of 1,000 takes 15 to 25 ms.
 */
const SERIAL_CHUNK = 1000;


interface Head extends Omit<DirectoryData, 'authorities'> {
  authorityFrames: number;
}

/** The directory as frames, each preceded by its length: the rest of the data, then its authorities a chunk at a time. */
export async function serialized(data: DirectoryData): Promise<Buffer> {
  const { authorities, ...rest } = data;
  const head: Head = { ...rest, authorityFrames: Math.ceil(authorities.length / SERIAL_CHUNK) };
  const frames = [v8.serialize(head)];
  for (let at = 0; at < authorities.length; at += SERIAL_CHUNK) {
    await nextTurn();
    frames.push(v8.serialize(authorities.slice(at, at + SERIAL_CHUNK)));
  }
  return Buffer.concat(
    frames.flatMap((frame) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(frame.length);
      return [length, frame];
    }),
  );
}

/** The directory read back from `serialized`'s frames; throws on bytes that are not whole frames. */
export async function deserialized(bytes: Buffer): Promise<DirectoryData> {
  let offset = 0;
  const nextFrame = (): unknown => {
    const length = bytes.readUInt32BE(offset);
    if (offset + 4 + length > bytes.length) throw new RangeError('directory snapshot cut short');
    const frame = bytes.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return v8.deserialize(frame);
  };
  const { authorityFrames, ...rest } = nextFrame() as Head;
  const authorities: DirectoryData['authorities'] = [];
  for (let frame = 0; frame < authorityFrames; frame += 1) {
    await nextTurn();
    authorities.push(...(nextFrame() as DirectoryData['authorities']));
  }
  if (offset !== bytes.length) throw new RangeError('directory snapshot has bytes after its frames');
  return { ...rest, authorities };
}

/** A lean read gives BSON Binary, not Buffer. */
function asBuffer(stored: unknown): Buffer {
  if (Buffer.isBuffer(stored)) return stored;
  const binary = stored as { buffer: Uint8Array; position: number };
  return Buffer.from(binary.buffer.buffer, binary.buffer.byteOffset, binary.position);
}

const headId = (version: number) => `${version}`;

export async function ensureSnapshotCollection(): Promise<void> {
  await DirectorySnapshotPartModel.createCollection();
}

/** The directory as stored for `version`, or undefined when none is (or it was written by another V8, or is damaged). */
export async function loadStoredDirectory(version: number): Promise<DirectoryData | undefined> {
  try {
    const head = await DirectorySnapshotPartModel.findById(headId(version)).lean();
    if (!head || head.format !== FORMAT || !head.parts || !head.writer) return undefined;
    const ids = Array.from({ length: head.parts }, (_, part) => `${version}:${head.writer}:${part}`);
    const parts = await DirectorySnapshotPartModel.find({ _id: { $in: ids } }).lean();
    if (parts.length !== ids.length) return undefined;
    parts.sort((a, b) => (a.part ?? 0) - (b.part ?? 0));
    const bytes = Buffer.concat(parts.map((part) => asBuffer(part.bytes)));
    const data = await deserialized(await gunzip(bytes));
    return data.version === version ? data : undefined;
  } catch (error) {
    logger.warn({ err: error, version }, 'stored directory snapshot unreadable; loading the directory itself');
    return undefined;
  }
}

/**
 * Stores the directory as loaded, unless its version is stored already, and drops older versions.
 * Two instances may save the same version at once: each writes its own parts, the first head wins.
 */
export async function storeDirectory(data: DirectoryData): Promise<void> {
  if (await DirectorySnapshotPartModel.exists({ _id: headId(data.version) })) return;
  const writer = randomBytes(6).toString('hex');
  const bytes = await gzip(await serialized(data), { level: 1 });
  const parts = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
  for (let part = 0; part < parts; part += 1) {
    const slice = bytes.subarray(part * PART_BYTES, (part + 1) * PART_BYTES);
    await DirectorySnapshotPartModel.create({ _id: `${data.version}:${writer}:${part}`, version: data.version, part, bytes: slice });
  }
  try {
    await DirectorySnapshotPartModel.create({ _id: headId(data.version), version: data.version, writer, parts, format: FORMAT });
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    // Another instance stored this version first: its parts are the ones read
    await DirectorySnapshotPartModel.deleteMany({ version: { $eq: data.version }, _id: { $regex: `^${data.version}:${writer}:` } });
    return;
  }
  await markStoredVersion(data.version);
  await DirectorySnapshotPartModel.deleteMany({ version: { $lt: data.version } });
  logger.info({ version: data.version, parts, bytes: bytes.length }, 'directory snapshot stored');
}
