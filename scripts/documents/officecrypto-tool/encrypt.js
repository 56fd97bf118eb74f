// Encrypts an OOXML document with ECMA-376 Standard encryption (what Office 2007 writes), through
// officecrypto-tool: node encrypt.js INPUT OUTPUT PASSWORD.
//
// The salt and key come from crypto.randomBytes; for a corpus that is the same on every build,
// they are taken here from SHA-256 over the output's name and a counter instead. These are test
// files: their keys protect nothing.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const [input, output, password] = process.argv.slice(2);
if (!input || !output || password === undefined) {
  console.error('usage: node encrypt.js INPUT OUTPUT PASSWORD');
  process.exit(2);
}
let counter = 0;
crypto.randomBytes = (size) => {
  const out = Buffer.alloc(size);
  for (let filled = 0; filled < size; filled += 32) {
    const block = crypto.createHash('sha256').update(`${path.basename(output)}:${counter++}`).digest();
    block.copy(out, filled, 0, Math.min(32, size - filled));
  }
  return out;
};
const officeCrypto = require('officecrypto-tool');
fs.writeFileSync(output, officeCrypto.encrypt(fs.readFileSync(input), {password, type: 'standard'}));
