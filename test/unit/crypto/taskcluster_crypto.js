// Encrypts and decrypts values the way Taskcluster's lib-postgres does (Node's crypto module,
// aes-256-cbc), for the keyring's compatibility test (keyring_node_test.cpp).
//
//   node taskcluster_crypto.js encrypt KID KEY_BASE64 CHUNK_BYTES < plaintext
//     prints {"kid", "v": 0, "__bufchunks_val": n, "__buf<i>_val": ...}: iv || ciphertext cut
//     into chunks of CHUNK_BYTES bytes, each in base64 (one chunk when CHUNK_BYTES is 0)
//   node taskcluster_crypto.js decrypt KEYS_JSON < value
//     KEYS_JSON: [{"id", "algo": "aes-256", "key"}]; prints the plaintext in base64
'use strict';
const crypto = require('crypto');

const readStdin = () => {
  const chunks = [];
  const fd = 0;
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n;
    try {
      n = require('fs').readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code === 'EAGAIN') continue;
      if (e.code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
};

const [command, ...args] = process.argv.slice(2);
if (command === 'encrypt') {
  const [kid, keyBase64, chunkBytesText] = args;
  const key = Buffer.from(keyBase64, 'base64');
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  const payload = Buffer.concat([iv, cipher.update(readStdin()), cipher.final()]);
  const chunkBytes = Number(chunkBytesText) || payload.length;
  const value = { kid, v: 0 };
  let n = 0;
  for (let at = 0; at < payload.length; at += chunkBytes, n++) {
    value[`__buf${n}_val`] = payload.subarray(at, at + chunkBytes).toString('base64');
  }
  value.__bufchunks_val = n;
  process.stdout.write(JSON.stringify(value));
} else if (command === 'decrypt') {
  const keys = new Map(JSON.parse(args[0]).map(({ id, key }) => [id, Buffer.from(key, 'base64')]));
  const value = JSON.parse(readStdin().toString('utf8'));
  const key = keys.get(value.kid);
  if (!key) throw new Error(`no key ${value.kid}`);
  const chunks = [];
  for (let i = 0; i < value.__bufchunks_val; i++) {
    chunks.push(Buffer.from(value[`__buf${i}_val`], 'base64'));
  }
  const payload = Buffer.concat(chunks);
  const decipher = crypto.createDecipheriv('aes-256-cbc', key, payload.subarray(0, 16));
  const plaintext = Buffer.concat([decipher.update(payload.subarray(16)), decipher.final()]);
  process.stdout.write(plaintext.toString('base64'));
} else {
  process.stderr.write('usage: taskcluster_crypto.js encrypt KID KEY_BASE64 CHUNK_BYTES | decrypt KEYS_JSON\n');
  process.exit(2);
}
