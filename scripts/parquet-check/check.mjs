// Reads a GeoLightning chip store (one .parquet file or a folder of part-*.parquet files) with hyparquet,
// a JavaScript Parquet reader sharing no code with parquet-java, and prints what it found as one JSON line:
// {"rows":N,"labelCount":N,"labelSum":N,"maskBytes":N,"maskSum":N,"pixelBytes":N,"pixelSum":N,"splits":{...},"files":N}
// Usage: node check.mjs <store.parquet | store-folder>
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const target = process.argv[2]
if (!target) {
  console.error('usage: node check.mjs <store.parquet | store-folder>')
  process.exit(2)
}
const files = statSync(target).isDirectory()
  ? readdirSync(target).filter(n => n.endsWith('.parquet') && !n.startsWith('.')).sort().map(n => join(target, n))
  : [target]

const bytesSum = b => { let s = 0; for (let i = 0; i < b.length; i++) s += b[i]; return s }
const out = { rows: 0, labelCount: 0, labelSum: 0, maskBytes: 0, maskSum: 0, pixelBytes: 0, pixelSum: 0, splits: {}, files: files.length }
for (const path of files) {
  const file = await asyncBufferFromFile(path)
  const metadata = await parquetMetadataAsync(file)
  const rows = await parquetReadObjects({
    file, metadata, compressors, utf8: false, // strings are annotated; plain binaries stay bytes
    columns: ['chip_id', 'split', 'label', 'mask', 'pixels'],
  })
  for (const r of rows) {
    out.rows++
    out.splits[r.split] = (out.splits[r.split] ?? 0) + 1
    if (r.label !== null && r.label !== undefined) { out.labelCount++; out.labelSum += Number(r.label) }
    if (r.mask) { out.maskBytes += r.mask.length; out.maskSum += bytesSum(r.mask) }
    out.pixelBytes += r.pixels.length
    out.pixelSum += bytesSum(r.pixels)
  }
}
console.log(JSON.stringify(out))
