// The official JS client against `esql serve`: the product check on every response,
// helpers.esql().toRecords() and toArrowTable(), esql.query, an error. Run with
// `node --test` from target/node (where the packages are installed), ESQL_BIN naming the
// binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_MODULES_DIR, 'x.js'));
const { Client } = require('@elastic/elasticsearch');

const ROOT = process.env.ESQL_ROOT;
let server;
let client;

before(async () => {
  server = spawn(process.env.ESQL_BIN, ['serve', '--data', 'examples/data', '--listen', '127.0.0.1:0', '--now', '2025-07-30T12:00:00Z', '--quiet'], { cwd: ROOT });
  const url = await new Promise((resolve, reject) => {
    server.stderr.once('data', (d) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(d.toString());
      m ? resolve(`http://127.0.0.1:${m[1]}`) : reject(new Error(d.toString()));
    });
  });
  client = new Client({ node: url });
});

after(() => server.kill());

const COUNT = 'FROM logs-azure.signinlogs-default | STATS n = COUNT(*) BY event.outcome | SORT event.outcome | LIMIT 10';

test('esql.query answers columns and values', async () => {
  const r = await client.esql.query({ query: COUNT });
  assert.deepEqual(r.columns.map((c) => c.name), ['n', 'event.outcome']);
  assert.deepEqual(r.values, [[82, 'failure'], [553, 'success']]);
});

test('helpers.esql().toRecords()', async () => {
  const { records } = await client.helpers.esql({ query: COUNT }).toRecords();
  assert.deepEqual(records, [{ n: 82, 'event.outcome': 'failure' }, { n: 553, 'event.outcome': 'success' }]);
});

test('helpers.esql().toArrowTable()', async () => {
  const table = await client.helpers.esql({ query: COUNT }).toArrowTable();
  assert.equal(table.numRows, 2);
  assert.deepEqual(Array.from(table.getChild('event.outcome')), ['failure', 'success']);
});

test('an error is a ResponseError with ES type', async () => {
  await assert.rejects(client.esql.query({ query: 'FROM logs-* | KEEP nope | LIMIT 1' }), (e) => {
    assert.equal(e.meta.statusCode, 400);
    assert.match(e.message, /verification_exception/);
    return true;
  });
});

test('warnings come back in result.warnings', async () => {
  const r = await client.esql.query({ query: 'FROM logs-azure.signinlogs-default | KEEP user.name' }, { meta: true });
  assert.ok(r.warnings.some((w) => w.includes('No limit defined, adding default limit of [1000]')), String(r.warnings));
});
