/**
 * Length extension of a Merkle–Damgård hash (SHA-1, SHA-256, SHA-512), for tests of signatures of the form
 * HASH(secret + message): from the hex digest of a message and the secret's length alone (never the secret), the
 * digest of `message + padding + appended` follows, by resuming the compression function from the state the digest
 * is. The compression functions are FIPS 180-4's, written out here because node:crypto cannot start from a chosen state.
 */
export type ExtendableHash = 'sha1' | 'sha256' | 'sha512';

interface Forgery {
	/** The message as the forger sends it: the original, the hash's padding, then the appended bytes. */
	readonly message: Buffer;
	/** Its signature: HASH(secret + message) in lower-case hex. */
	readonly signature: string;
}

const BLOCK_BYTES: Record<ExtendableHash, number> = { sha1: 64, sha256: 64, sha512: 128 };

/** The padding HASH appends to a message of `length` bytes: 0x80, zeros, then the length in bits, big-endian. */
export function mdPadding(algo: ExtendableHash, length: number): Buffer {
	const block = BLOCK_BYTES[algo];
	const lengthField = block === 128 ? 16 : 8;
	const zeros = (((block - lengthField - 1 - length) % block) + block) % block;
	const padding = Buffer.alloc(1 + zeros + lengthField);
	padding[0] = 0x80;
	padding.writeBigUInt64BE(BigInt(length) * 8n, padding.length - 8);
	return padding;
}

/** Forges the signature of `original + padding + appended`, knowing HASH(secret + original) and the secret's length. */
export function extendSignature(algo: ExtendableHash, signatureHex: string, secretLength: number, original: Buffer, appended: Buffer): Forgery {
	const glue = mdPadding(algo, secretLength + original.length);
	const message = Buffer.concat([original, glue, appended]);
	const total = secretLength + message.length;
	// What is left to compress: the appended bytes and the padding of the whole, longer message.
	const tail = Buffer.concat([appended, mdPadding(algo, total)]);
	const state = Buffer.from(signatureHex, 'hex');
	const block = BLOCK_BYTES[algo];
	let digest: Buffer;
	if (algo === 'sha512') {
		const words = Array.from({ length: 8 }, (_, index) => state.readBigUInt64BE(index * 8));
		for (let at = 0; at < tail.length; at += block) sha512Compress(words, tail.subarray(at, at + block));
		digest = Buffer.alloc(64);
		words.forEach((word, index) => digest.writeBigUInt64BE(word, index * 8));
	} else {
		const count = algo === 'sha1' ? 5 : 8;
		const words = Array.from({ length: count }, (_, index) => state.readUInt32BE(index * 4));
		for (let at = 0; at < tail.length; at += block) (algo === 'sha1' ? sha1Compress : sha256Compress)(words, tail.subarray(at, at + block));
		digest = Buffer.alloc(count * 4);
		words.forEach((word, index) => digest.writeUInt32BE(word >>> 0, index * 4));
	}
	return { message, signature: digest.toString('hex') };
}

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

function sha1Compress(h: number[], chunk: Buffer): void {
	const w = new Array<number>(80);
	for (let t = 0; t < 16; t++) w[t] = chunk.readUInt32BE(t * 4);
	for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
	let [a, b, c, d, e] = h as [number, number, number, number, number];
	for (let t = 0; t < 80; t++) {
		const [f, k] =
			t < 20
				? [(b & c) | (~b & d), 0x5a827999]
				: t < 40
					? [b ^ c ^ d, 0x6ed9eba1]
					: t < 60
						? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc]
						: [b ^ c ^ d, 0xca62c1d6];
		const temp = (rotl(a, 5) + f + e + k + w[t]!) | 0;
		e = d;
		d = c;
		c = rotl(b, 30);
		b = a;
		a = temp;
	}
	[a, b, c, d, e].forEach((value, index) => (h[index] = (h[index]! + value) | 0));
}

const K256 = [
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
];

function sha256Compress(h: number[], chunk: Buffer): void {
	const w = new Array<number>(64);
	for (let t = 0; t < 16; t++) w[t] = chunk.readUInt32BE(t * 4);
	for (let t = 16; t < 64; t++) {
		const s0 = rotr(w[t - 15]!, 7) ^ rotr(w[t - 15]!, 18) ^ (w[t - 15]! >>> 3);
		const s1 = rotr(w[t - 2]!, 17) ^ rotr(w[t - 2]!, 19) ^ (w[t - 2]! >>> 10);
		w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
	}
	let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
	for (let t = 0; t < 64; t++) {
		const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[t]! + w[t]!) | 0;
		const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
		hh = g;
		g = f;
		f = e;
		e = (d + t1) | 0;
		d = c;
		c = b;
		b = a;
		a = (t1 + t2) | 0;
	}
	[a, b, c, d, e, f, g, hh].forEach((value, index) => (h[index] = (h[index]! + value) | 0));
}

const K512 = [
	'428a2f98d728ae22',
	'7137449123ef65cd',
	'b5c0fbcfec4d3b2f',
	'e9b5dba58189dbbc',
	'3956c25bf348b538',
	'59f111f1b605d019',
	'923f82a4af194f9b',
	'ab1c5ed5da6d8118',
	'd807aa98a3030242',
	'12835b0145706fbe',
	'243185be4ee4b28c',
	'550c7dc3d5ffb4e2',
	'72be5d74f27b896f',
	'80deb1fe3b1696b1',
	'9bdc06a725c71235',
	'c19bf174cf692694',
	'e49b69c19ef14ad2',
	'efbe4786384f25e3',
	'0fc19dc68b8cd5b5',
	'240ca1cc77ac9c65',
	'2de92c6f592b0275',
	'4a7484aa6ea6e483',
	'5cb0a9dcbd41fbd4',
	'76f988da831153b5',
	'983e5152ee66dfab',
	'a831c66d2db43210',
	'b00327c898fb213f',
	'bf597fc7beef0ee4',
	'c6e00bf33da88fc2',
	'd5a79147930aa725',
	'06ca6351e003826f',
	'142929670a0e6e70',
	'27b70a8546d22ffc',
	'2e1b21385c26c926',
	'4d2c6dfc5ac42aed',
	'53380d139d95b3df',
	'650a73548baf63de',
	'766a0abb3c77b2a8',
	'81c2c92e47edaee6',
	'92722c851482353b',
	'a2bfe8a14cf10364',
	'a81a664bbc423001',
	'c24b8b70d0f89791',
	'c76c51a30654be30',
	'd192e819d6ef5218',
	'd69906245565a910',
	'f40e35855771202a',
	'106aa07032bbd1b8',
	'19a4c116b8d2d0c8',
	'1e376c085141ab53',
	'2748774cdf8eeb99',
	'34b0bcb5e19b48a8',
	'391c0cb3c5c95a63',
	'4ed8aa4ae3418acb',
	'5b9cca4f7763e373',
	'682e6ff3d6b2b8a3',
	'748f82ee5defb2fc',
	'78a5636f43172f60',
	'84c87814a1f0ab72',
	'8cc702081a6439ec',
	'90befffa23631e28',
	'a4506cebde82bde9',
	'bef9a3f7b2c67915',
	'c67178f2e372532b',
	'ca273eceea26619c',
	'd186b8c721c0c207',
	'eada7dd6cde0eb1e',
	'f57d4f7fee6ed178',
	'06f067aa72176fba',
	'0a637dc5a2c898a6',
	'113f9804bef90dae',
	'1b710b35131c471b',
	'28db77f523047d84',
	'32caab7b40c72493',
	'3c9ebe0a15c9bebc',
	'431d67c49c100d4c',
	'4cc5d4becb3e42b6',
	'597f299cfc657e2a',
	'5fcb6fab3ad6faec',
	'6c44198c4a475817'
].map((hex) => BigInt(`0x${hex}`));

const MASK64 = (1n << 64n) - 1n;
const rotr64 = (x: bigint, n: bigint) => ((x >> n) | (x << (64n - n))) & MASK64;

function sha512Compress(h: bigint[], chunk: Buffer): void {
	const w = new Array<bigint>(80);
	for (let t = 0; t < 16; t++) w[t] = chunk.readBigUInt64BE(t * 8);
	for (let t = 16; t < 80; t++) {
		const s0 = rotr64(w[t - 15]!, 1n) ^ rotr64(w[t - 15]!, 8n) ^ (w[t - 15]! >> 7n);
		const s1 = rotr64(w[t - 2]!, 19n) ^ rotr64(w[t - 2]!, 61n) ^ (w[t - 2]! >> 6n);
		w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) & MASK64;
	}
	let [a, b, c, d, e, f, g, hh] = h as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
	for (let t = 0; t < 80; t++) {
		const t1 = (hh + (rotr64(e, 14n) ^ rotr64(e, 18n) ^ rotr64(e, 41n)) + ((e & f) ^ (~e & MASK64 & g)) + K512[t]! + w[t]!) & MASK64;
		const t2 = ((rotr64(a, 28n) ^ rotr64(a, 34n) ^ rotr64(a, 39n)) + ((a & b) ^ (a & c) ^ (b & c))) & MASK64;
		hh = g;
		g = f;
		f = e;
		e = (d + t1) & MASK64;
		d = c;
		c = b;
		b = a;
		a = (t1 + t2) & MASK64;
	}
	[a, b, c, d, e, f, g, hh].forEach((value, index) => (h[index] = (h[index]! + value) & MASK64));
}
