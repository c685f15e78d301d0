// Runs an exported SELECT on DuckDB over a CSV file and prints the rows as
// CSV (NULL as an empty field, doubles with 17 significant digits).
//
//   NODE_PATH=<dir>/node_modules node duckdb_run.mjs TABLE DATA.csv QUERY.sql
//
// The table is created with DuckDB's own CSV reader (types inferred);
// @duckdb/node-api comes from npm (npm install @duckdb/node-api in <dir>).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(process.env.NODE_PATH.replace(/\/?$/, '/') + 'x.js');
const { DuckDBInstance } = require('@duckdb/node-api');

const [table, csv, queryFile] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const q = (s) => '"' + s.replaceAll('"', '""') + '"';
const lit = (s) => "'" + s.replaceAll("'", "''") + "'";
await conn.run(`CREATE TABLE ${q(table)} AS SELECT * FROM read_csv(${lit(csv)}, header = true, all_varchar = false)`);
const reader = await conn.runAndReadAll(readFileSync(queryFile, 'utf8'));
const cols = reader.columnNames();
const field = (v) => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(17);
  const s = String(v);
  return /[",\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
};
const out = [cols.map(field).join(',')];
for (const row of reader.getRows()) out.push(row.map(field).join(','));
process.stdout.write(out.join('\n') + '\n');
